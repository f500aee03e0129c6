/** One write waiting for its batch. */
interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups the writes made in one turn of the event loop into one transaction. With several processes on
 * one SQLite file every transaction takes the file's write lock, and a process that finds it taken
 * sleeps in SQLite's busy handler with its event loop blocked; one lock per batch instead of one per
 * write keeps those waits rare under load. Each write still succeeds or fails on its own: a failing
 * statement is caught inside the transaction, and only a failure of the transaction itself fails all.
 */
export class WriteBatcher {
  private pending: PendingWrite[] = [];

  /** @param transact runs `batch` in one (immediate) transaction. */
  constructor(
    private readonly transact: (batch: () => void) => void,
    private readonly mapError: (error: unknown) => unknown,
  ) {}

  /** Resolves with `work`'s result once the transaction holding it has committed. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Writes what is pending now, e.g. before the database closes, so a close loses no accepted write. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.transact(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: item.work() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(this.mapError(error));
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(this.mapError(outcome.error));
    });
  }
}
