/**
 * Compiled scenarios, least recently used dropped first: compiling is the costly part of a short run,
 * and the key (`scriptId:scriptVersion`) changes whenever the source does. A thread keeps the compiled
 * scripts (`VMScript`), each VM the scenario functions made from them.
 */
export class ScriptCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  /** The cached value for `key`, made with `make` on a miss (an error thrown by `make` is not cached). */
  get(key: string, make: () => T): T {
    if (this.entries.has(key)) {
      const cached = this.entries.get(key) as T;
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
