/** A request as a scenario's `fetch` made it, in host values. */
export interface OutboundRequest {
  url: string;
  /** Upper case. */
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string | Buffer | null;
}

/** A response read to its end: what the scenario's response object is built from. */
export interface FetchAnswer {
  status: number;
  statusText: string;
  /** The URL of the last hop. */
  url: string;
  redirected: boolean;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

/** Hops followed after the first request before a fetch fails. */
export const MAX_REDIRECTS = 5;
/** The largest response body a scenario gets, in bytes (5 MiB); a larger one fails the fetch. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
/** What a scenario is told when it calls `fetch` while the allow-list is empty. */
export const FETCH_OFF = 'fetch is off: set SCENARIO_FETCH_ALLOW';

/**
 * What carries out a scenario's `fetch`: {@link HostFetch} in the process that holds the allow-list
 * (the worker), or a relay to it from a sandbox thread. Every failure rejects with a ScenarioFetchError.
 */
export interface OutboundFetch {
  /** Whether the allow-list lets a scenario fetch anything at all. */
  readonly enabled: boolean;
  /** Fetches `request`, aborted by `signal`; `runTag` is the `tag` of the run that asked (see SandboxRequest). */
  fetch(request: OutboundRequest, signal: AbortSignal, runTag?: number): Promise<FetchAnswer>;
}
