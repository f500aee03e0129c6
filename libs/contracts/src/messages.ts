import type { LogEntry, ProcessError } from './catalog';
import type { ScenarioVariables } from './variables';

/** The data of one BullMQ job: everything a worker needs to run one process. */
export interface JobPayload {
  processId: string;
  requestId: string;
  webrequestId: string;
  urlId: string;
  scriptId: string;
  /**
   * The scenario's `updatedAt` as the ingress knew it when it accepted the job: a worker that keeps
   * this version in memory runs it without reading the store. Absent (replays, test runs, jobs of an
   * older ingress): the worker reads the scenario.
   */
  scriptVersion?: string;
  async: boolean;
  /** Milliseconds since the epoch after which the process must not run, or must be killed. */
  deadline: number;
  /** Pub/sub channel of the ingress instance waiting for the answer; null for async processes. */
  replyTo: string | null;
  /**
   * The scenario's variables. A body that is its raw text again (`bodyFrom: 'rawBody'`: text, binary
   * as base64) or that parses from it (`'json'`) travels once, as `rawBody`, with `body` left out; the
   * worker puts it back with {@link jobVariables}. Redis then holds each body once per job.
   */
  variables: ScenarioVariables;
  bodyFrom?: 'rawBody' | 'json';
  /** Names of the secrets the run reads (the endpoint's `secrets`); the worker resolves their values. */
  secretNames?: string[];
  /** The process holds a slot of its endpoint's `maxConcurrent`: the worker frees it when the process ends. */
  leased?: boolean;
  /** A draft source to run instead of the scenario's own (`POST /webrequests/{id}/test`). */
  source?: string;
}

/** The variables a job's scenario runs with: its `body` restored from `rawBody` when it travelled without it. */
export function jobVariables(payload: Pick<JobPayload, 'variables' | 'bodyFrom'>): ScenarioVariables {
  const { variables, bodyFrom } = payload;
  if (bodyFrom === 'rawBody') return { ...variables, body: variables.rawBody };
  // The ingress parsed it once already: this cannot fail, and an empty or blank body is {} as there.
  if (bodyFrom === 'json') return { ...variables, body: variables.rawBody.trim() === '' ? {} : (JSON.parse(variables.rawBody) as unknown) };
  return variables;
}

/**
 * The HTTP answer a scenario's output becomes (SPEC §3 "Synchronous response"), already validated by the
 * worker, so the ingress only writes it out.
 */
export interface ResponseSpec {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body bytes, base64-encoded; null for an empty body. */
  bodyBase64: string | null;
}

/**
 * A worker's answer to a waiting ingress, published on the job's `replyTo` channel. An answer too large
 * for one pub/sub message (Redis drops a subscriber whose output buffer overflows, and with it every
 * other caller's answer) is stored under a short-lived key instead, and `stored` points at it: the
 * ingress takes the key (read and delete) and finds there the `response` or `error` message itself.
 */
export type ResultMessage =
  | { kind: 'response'; processId: string; response: ResponseSpec }
  | { kind: 'error'; processId: string; error: ProcessError }
  | { kind: 'stored'; processId: string; key: string; bytes: number };

/** Outcome of one sandbox run. */
export type SandboxOutcome =
  | { kind: 'output'; output: Record<string, unknown>; logs: LogEntry[]; durationMs: number }
  | { kind: 'error'; error: ProcessError; logs: LogEntry[]; durationMs: number };

/** Makes a `switch` over a union exhaustive: the compiler fails when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/** An operator's order to every worker, on the control channel. */
export type ControlMessage =
  | { kind: 'abort'; processId: string; reason: string }
  /** A secret was set or deleted: every service drops the values it keeps in memory. */
  | { kind: 'secrets-changed'; name: string }
  /** A scenario or an endpoint was created, changed or deleted: every service drops the catalog it keeps in memory. */
  | { kind: 'catalog-changed' };
