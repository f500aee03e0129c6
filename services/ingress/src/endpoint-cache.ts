import { ReadThroughCache, type WebRequest } from '@webrequests/contracts';
import type { Store } from '@webrequests/store';

/** An endpoint as the public route serves it, with the version of its scenario (carried in the job). */
export interface ServedEndpoint {
  endpoint: WebRequest;
  /** The scenario's `updatedAt`; null when the scenario is gone (the worker then says so). */
  scriptVersion: string | null;
}

/**
 * How long an endpoint is served from memory when no change was announced: a change made where no
 * control message reaches the ingresses (the catalog command without REDIS_URL, a lost message) is
 * seen within it (milliseconds).
 */
export const ENDPOINT_TTL_MS = 5_000;
/** How long "no such endpoint" is kept: a 404 flood costs a store read per key per second at most. */
const UNKNOWN_TTL_MS = 1_000;
/** Endpoints kept at most (the ones read from the store longest ago go first); random URL identifiers cannot grow it past this. */
const MAX_ENDPOINTS = 10_000;

/**
 * The endpoints of the public route, read from the store at most once per {@link ENDPOINT_TTL_MS} per
 * URL identifier instead of once per request. The admin API drops them when it changes a scenario or an
 * endpoint, and so does a `catalog-changed` control message from any other service.
 */
export class EndpointCache {
  private readonly cache = new ReadThroughCache<ServedEndpoint | null>({
    ttlMs: (served) => (served ? ENDPOINT_TTL_MS : UNKNOWN_TTL_MS),
    maxEntries: MAX_ENDPOINTS,
  });

  constructor(private readonly store: Pick<Store, 'getWebRequestByUrlId' | 'getScenario'>) {}

  /** The endpoint of `urlId` and its scenario's version; null when there is none. */
  byUrlId(urlId: string): Promise<ServedEndpoint | null> {
    return this.cache.get(urlId, async () => {
      const endpoint = await this.store.getWebRequestByUrlId(urlId);
      if (!endpoint) return null;
      const scenario = await this.store.getScenario(endpoint.scriptId);
      return { endpoint, scriptVersion: scenario?.updatedAt ?? null };
    });
  }

  /** Drops every endpoint (a change was announced). */
  forget(): void {
    this.cache.forget();
  }
}
