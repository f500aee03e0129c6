interface Entry<V> {
  value: V;
  expiresAt: number;
}

/** How a {@link ReadThroughCache} keeps what it read. */
export interface ReadThroughCacheOptions<V> {
  /** How long a value read is kept (milliseconds); may depend on the value (e.g. shorter for "not found"). */
  ttlMs: number | ((value: V) => number);
  /** At most this many keys are kept; past it the ones read from the source longest ago go first. */
  maxEntries: number;
}

/**
 * Values read from a slower source (the store), kept a while in memory. Concurrent callers asking for
 * the same key share one read. `forget` drops a key or everything when a change is announced; a read
 * begun before that `forget` answers its caller but is not kept, since it may hold the old value.
 */
export class ReadThroughCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V>>();
  /** Bumped by every `forget`, so that a read begun before a change does not store its stale answer. */
  private generation = 0;

  constructor(private readonly options: ReadThroughCacheOptions<V>) {}

  /** The value under `key`: kept, or read with `load` (once for every caller asking meanwhile). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return Promise.resolve(entry.value);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const read: Promise<V> = load().then(
      (value) => {
        if (this.loading.get(key) === read) this.loading.delete(key);
        if (generation === this.generation) this.keep(key, value);
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === read) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, read);
    return read;
  }

  /** The value kept under `key` when it has not expired, else undefined (nothing is read). */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  /** Drops one key, or every key. */
  forget(key?: string): void {
    this.generation++;
    if (key === undefined) {
      this.entries.clear();
      this.loading.clear();
    } else {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }

  /** How many keys are kept (expired ones included until they are read or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, value: V): void {
    const { ttlMs, maxEntries } = this.options;
    this.entries.delete(key); // Re-inserted last: insertion order is age order.
    if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Date.now() + (typeof ttlMs === 'function' ? ttlMs(value) : ttlMs) });
  }
}
