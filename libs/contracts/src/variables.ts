import type { PassedAuth } from './protection';

/** One multipart file part, as the scenario sees it. */
export interface FilePart {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  base64: string;
}

/**
 * The variables a scenario receives, with the names and shapes of the seed (SPEC §3). Everything here
 * is plain JSON, so it crosses Redis and thread boundaries as is.
 */
export interface ScenarioVariables {
  event: { id: string; type: '$webRequest'; async: boolean; auth?: PassedAuth };
  script: { id: string };
  user: { id: null };
  url: string;
  method: string;
  headers: Record<string, string | string[]>;
  cookies: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  files: FilePart[];
  rawBody: string;
}

/**
 * What a run sees: the request's variables and the values of the secrets its endpoint lists (SPEC §10).
 * `secrets` is added by the worker for the run alone: it is never in a job, a record or a log.
 */
export interface RunVariables extends ScenarioVariables {
  secrets: Record<string, string>;
}
