/** One write waiting for its batch. */
interface PendingWrite {
  work: () => unknown;
  /** When the write was asked for: it may wait for a lock until `waitMs` after it. */
  since: number;
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

  private retryTimer: NodeJS.Timeout | undefined;
  private retries = 0;

  /**
   * @param transact runs `batch` in one (immediate) transaction.
   * @param isLockWait whether a failure of the transaction is another process's lock: then the batch is
   *   tried again a little later (the event loop free meanwhile), until its oldest write waited `waitMs`.
   */
  constructor(
    private readonly transact: (batch: () => void) => void,
    private readonly mapError: (error: unknown) => unknown,
    private readonly isLockWait: (error: unknown) => boolean = () => false,
    private readonly waitMs = 0,
    /** How long to wait before retry `n` (1-based) of a batch that met a lock. */
    private readonly retryDelayMs: (retry: number) => number = () => 0,
  ) {}

  /** Resolves with `work`'s result once the transaction holding it has committed. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, since: Date.now(), resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1 && !this.retryTimer) setImmediate(() => this.flush());
    });
  }

  /** Writes what is pending now, e.g. before the database closes, so a close loses no accepted write. */
  flush(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
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
      if (this.isLockWait(error) && Date.now() - batch[0]!.since < this.waitMs) {
        // Another process holds the lock: the whole batch waits for the next try, later writes join it.
        this.pending = [...batch, ...this.pending];
        this.retries++;
        this.retryTimer = setTimeout(() => this.flush(), this.retryDelayMs(this.retries));
        return;
      }
      for (const item of batch) item.reject(this.mapError(error));
      return;
    }
    this.retries = 0;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(this.mapError(outcome.error));
    });
  }
}
