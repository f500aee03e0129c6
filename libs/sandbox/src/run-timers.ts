/** setTimeout's largest delay; a longer one would fire at once. The deadline stops such runs anyway. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The timers behind one run's `sleep`. Cleared when the run ends, and closed to new ones: a sleep the
 * scenario left pending, or started from a promise job that ran after the end, never wakes up, so no
 * code of a run can run during a later run in the VM they share.
 */
export class RunTimers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  /** Calls `callback` after `ms` milliseconds (anything not a positive number counts as 0); never once cleared. */
  readonly start = (callback: () => void, ms: unknown): void => {
    if (this.closed) return;
    const delay = Number(ms);
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        // clearTimeout keeps a cleared timer from firing; this holds even if one fired all the same.
        if (!this.closed) callback();
      },
      Number.isFinite(delay) && delay > 0 ? Math.min(delay, MAX_DELAY_MS) : 0,
    );
    this.pending.add(timer);
  };

  /** Cancels the pending timers and refuses new ones: the run is over. */
  clear(): void {
    this.closed = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
