import { ReadThroughCache, type Scenario } from '@webrequests/contracts';
import type { Store } from '@webrequests/store';

/**
 * How long a scenario is kept with no job asking for it by version (milliseconds). A job that names
 * its version is checked against it on every run, so this bounds memory, not staleness.
 */
const SCENARIO_TTL_MS = 10 * 60_000;
/** Scenarios kept at most; the ones read from the store longest ago go first. */
const MAX_SCENARIOS = 1_000;

/**
 * The scenarios of the jobs a worker runs, read from the store once per version instead of once per
 * job. A job carries the version (`scriptVersion`, the scenario's `updatedAt`) the ingress accepted it
 * under: the kept scenario serves it when it is that version or a newer one; otherwise the store is
 * read, so a job never runs a source older than the one it was accepted with. A `catalog-changed`
 * control message drops everything.
 */
export class ScenarioCache {
  private readonly cache = new ReadThroughCache<Scenario | null>({ ttlMs: SCENARIO_TTL_MS, maxEntries: MAX_SCENARIOS });

  constructor(private readonly store: Pick<Store, 'getScenario'>) {}

  /**
   * The scenario `id` at `version` or newer, when one is kept; else as the store holds it now (and kept
   * for the next jobs). With no version (a replay, a test run), the store's, always. Null when it is gone.
   */
  async scenario(id: string, version: string | undefined): Promise<Scenario | null> {
    if (version === undefined) return this.store.getScenario(id);
    const kept = this.cache.peek(id);
    // Times are canonical UTC ISO text, so their order is their text's order.
    if (kept && kept.updatedAt >= version) return kept;
    // An older version, or "gone", is kept: the job was accepted under a newer one, which the store has.
    if (kept !== undefined) this.cache.forget(id);
    return this.cache.get(id, () => this.store.getScenario(id));
  }

  /** Drops every scenario (a change was announced). */
  forget(): void {
    this.cache.forget();
  }
}
