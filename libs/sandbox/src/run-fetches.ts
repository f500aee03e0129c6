/**
 * The fetches of one run. Aborted when the run ends, and closed to new ones: an answer that comes
 * after the end, or a fetch started from a promise job that ran after it, is never delivered, so no
 * code of a run runs during a later run in the VM they share (as with {@link RunTimers}).
 */
export class RunFetches {
  private readonly pending = new Set<AbortController>();
  private closed = false;

  /** Runs `work` and hands its outcome to `deliver`, unless the run is over by then. */
  start<T>(work: (signal: AbortSignal) => Promise<T>, deliver: (error: unknown, value?: T) => void): void {
    if (this.closed) return;
    const controller = new AbortController();
    this.pending.add(controller);
    const settle = (error: unknown, value?: T): void => {
      this.pending.delete(controller);
      if (!this.closed) deliver(error, value);
    };
    // Started in a job of its own, so a synchronous throw in `work` is delivered like any other failure.
    Promise.resolve()
      .then(() => work(controller.signal))
      .then(
        (value) => settle(null, value),
        (error: unknown) => settle(error ?? new Error('fetch failed')),
      );
  }

  /** Aborts the fetches in flight and refuses new ones: the run is over. */
  clear(): void {
    this.closed = true;
    for (const controller of this.pending) controller.abort();
    this.pending.clear();
  }
}
