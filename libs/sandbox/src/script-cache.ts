import type { VMScript } from 'vm2';

/**
 * Compiled scenarios of one thread, least recently used dropped first: compiling is the costly part of
 * a short run, and the key (`scriptId:scriptVersion`) changes whenever the source does.
 */
export class ScriptCache {
  private readonly scripts = new Map<string, VMScript>();

  constructor(private readonly capacity: number) {}

  /** The cached script for `key`, compiled with `compile` on a miss (a compile error is not cached). */
  get(key: string, compile: () => VMScript): VMScript {
    const cached = this.scripts.get(key);
    if (cached) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.scripts.delete(key);
      this.scripts.set(key, cached);
      return cached;
    }
    const script = compile();
    this.scripts.set(key, script);
    if (this.scripts.size > this.capacity) this.scripts.delete(this.scripts.keys().next().value as string);
    return script;
  }
}
