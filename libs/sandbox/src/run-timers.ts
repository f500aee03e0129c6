/** setTimeout's largest delay; a longer one would fire at once. The deadline stops such runs anyway. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The timers behind one run's `sleep`. Cleared when the run ends, so a sleep the scenario left pending
 * cannot wake up inside the next run on this thread.
 */
export class RunTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Calls `callback` after `ms` milliseconds (anything not a positive number counts as 0). */
  readonly start = (callback: () => void, ms: unknown): void => {
    const delay = Number(ms);
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        callback();
      },
      Number.isFinite(delay) && delay > 0 ? Math.min(delay, MAX_DELAY_MS) : 0,
    );
    this.pending.add(timer);
  };

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
