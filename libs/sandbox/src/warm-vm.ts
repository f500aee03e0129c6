import { prepareVm, type PreparedVm } from './prepared-vm';

/**
 * Keeps one prepared VM ready, made while the thread is idle after a run, so the next run does not pay
 * for it. Each VM serves one run only: runs never share globals.
 */
export class WarmVm {
  private ready: PreparedVm | null = null;
  private scheduled = false;

  constructor(private readonly memoryMb: number) {}

  /** The prepared VM, or a new one if none is ready. */
  take(): PreparedVm {
    const prepared = this.ready ?? prepareVm(this.memoryMb);
    this.ready = null;
    return prepared;
  }

  /** Prepares the next VM once the current turn is over (after the result is posted). */
  refillSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.ready ??= prepareVm(this.memoryMb);
    });
  }
}
