import type { SealedSecret } from '@webrequests/contracts';
import type { SecretBox } from './secret-box';

/** Where a {@link SecretCache} reads sealed values: the store. */
export interface SealedSecretSource {
  getSealedSecrets(names: readonly string[]): Promise<SealedSecret[]>;
}

/** How long a value is kept when no change was announced: a missed control message heals within it (milliseconds). */
const DEFAULT_TTL_MS = 60_000;
/**
 * How long "not set" is kept: briefly, since a secret set where no message reaches the services (the
 * catalog command without REDIS_URL) should work within seconds (milliseconds).
 */
const MISSING_TTL_MS = 5_000;

interface Entry {
  /** The value; undefined for a secret the store does not hold (remembered too, so a wrong name costs no read per request). */
  value: string | undefined;
  expiresAt: number;
}

/**
 * Decrypted secret values in memory, so that verifying a signature or starting a run reads the store
 * only when a value is not held yet. `forget` drops a value when the control channel says it changed;
 * each value also expires after a minute, since pub/sub may drop that message (a reconnect).
 */
export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  /** Reads in flight, shared by concurrent callers asking for the same names. */
  private readonly loading = new Map<string, Promise<Map<string, string>>>();
  /** Bumped by every `forget`, so that a read begun before a change does not store its stale answer. */
  private generation = 0;

  constructor(
    private readonly source: SealedSecretSource,
    private readonly box: SecretBox | null,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  /** The values of the named secrets that exist (a missing one is absent); throws when a value cannot be opened. */
  async values(names: readonly string[]): Promise<Record<string, string>> {
    const now = Date.now();
    const missing = names.filter((name) => !((this.entries.get(name)?.expiresAt ?? 0) > now));
    const read = missing.length > 0 ? await this.load(missing) : new Map<string, string>();
    const values: Record<string, string> = {};
    for (const name of names) {
      const value = read.has(name) || missing.includes(name) ? read.get(name) : this.entries.get(name)?.value;
      if (value !== undefined) Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return values;
  }

  /** The value of one secret, or undefined when the store does not hold it. */
  async value(name: string): Promise<string | undefined> {
    return (await this.values([name]))[name];
  }

  /** Drops one value (a `secrets-changed` message), or every value. */
  forget(name?: string): void {
    this.generation++;
    this.loading.clear();
    if (name === undefined) this.entries.clear();
    else this.entries.delete(name);
  }

  /** The opened values of `names` that exist, read once for concurrent callers asking the same. */
  private load(names: readonly string[]): Promise<Map<string, string>> {
    const key = [...names].sort().join('\n');
    const pending = this.loading.get(key);
    if (pending) return pending;
    // Only its own entry: a `forget` meanwhile may have let a newer read take the key.
    const load: Promise<Map<string, string>> = this.read(names).finally(() => {
      if (this.loading.get(key) === load) this.loading.delete(key);
    });
    this.loading.set(key, load);
    return load;
  }

  private async read(names: readonly string[]): Promise<Map<string, string>> {
    const generation = this.generation;
    const sealed = await this.source.getSealedSecrets(names);
    const opened = new Map<string, string>();
    for (const record of sealed) {
      if (!this.box) throw new Error(`secret "${record.name}" is set, but SECRETS_KEY is not: the service cannot open it`);
      opened.set(record.name, this.box.open(record));
    }
    // A change announced while the store was read: its answer may be the old value, so it is used for
    // this call alone and not kept.
    if (generation === this.generation) {
      const now = Date.now();
      for (const name of names) {
        const value = opened.get(name);
        this.entries.set(name, { value, expiresAt: now + (value === undefined ? Math.min(this.ttlMs, MISSING_TTL_MS) : this.ttlMs) });
      }
    }
    return opened;
  }
}
