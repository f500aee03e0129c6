/** Why a run was stopped from the host side. */
export type StopReason = 'timeout' | 'aborted';

/** setTimeout's largest delay; a deadline further away is re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * One signal that aborts at the deadline or when the operator's signal aborts, whichever comes first,
 * and remembers which. Aborting the Piscina task with it terminates the thread running it.
 */
export class RunStopper {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private stopReason: StopReason | null = null;

  constructor(
    private readonly deadline: number,
    private readonly operatorSignal?: AbortSignal,
  ) {
    this.arm();
    operatorSignal?.addEventListener('abort', this.onOperatorAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the run was stopped, or null if it was not. */
  get reason(): StopReason | null {
    return this.stopReason;
  }

  /** Releases the timer and the listener; call it when the run is over. */
  dispose(): void {
    clearTimeout(this.timer);
    this.operatorSignal?.removeEventListener('abort', this.onOperatorAbort);
  }

  private arm(): void {
    const left = this.deadline - Date.now();
    if (left <= 0) return this.stop('timeout');
    this.timer = setTimeout(() => this.arm(), Math.min(left, MAX_DELAY_MS));
  }

  private readonly onOperatorAbort = (): void => this.stop('aborted');

  private stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.controller.abort(reason);
  }
}
