import type { ProcessErrorCode } from './process-error-codes';
import type { EndpointProtection } from './protection';
/** A scenario: JavaScript source, the body of an `async` function (SPEC §4). */
export interface Scenario {
  id: string;
  name: string;
  description: string;
  source: string;
  createdAt: string;
  updatedAt: string;
}

export type WebRequestStatus = 'active' | 'disabled';

/** An endpoint ("external request"): a URL identifier bound to a scenario (SPEC §5), and its protection (§10). */
export interface WebRequest extends EndpointProtection {
  id: string;
  name: string;
  description: string;
  urlId: string;
  scriptId: string;
  status: WebRequestStatus;
  /** Origins the ingress answers CORS for itself; absent or empty: the scenario handles CORS. */
  corsOrigins?: string[];
  createdAt: string;
  updatedAt: string;
}

export type ProcessStatus = 'queued' | 'running' | 'completed' | 'failed' | 'aborted';

/** Statuses a process never leaves. */
export const FINAL_STATUSES: readonly ProcessStatus[] = ['completed', 'failed', 'aborted'];

/** One log line a scenario wrote through `console.*`. */
export interface LogEntry {
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/**
 * The error a process ended with, as the caller and the record see it. For an error the scenario threw,
 * `message` ends with its place in the scenario (`TypeError: … (line 4, column 12)`), and `line`,
 * `column` and `stack` say it again for the record: `stack` lists the scenario's own frames only
 * (`at handler (line 4, column 12)`), never a host path or a sandbox internal. The caller sees `code`
 * and `message` alone.
 */
export interface ProcessError {
  code: ProcessErrorCode;
  message: string;
  /** Line of the scenario source (1-based) where the error was thrown, when it is known. */
  line?: number;
  /** Column on that line (1-based), when it is known. */
  column?: number;
  /** `Name: message` and the scenario's frames, one `    at …` line each. */
  stack?: string;
}

/** A run of a scenario, started by one webrequest (SPEC §5 `processes`). */
export interface ProcessRecord {
  id: string;
  webrequestId: string;
  scriptId: string;
  async: boolean;
  status: ProcessStatus;
  requestId: string;
  input: unknown;
  output: unknown;
  error: ProcessError | null;
  logs: LogEntry[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  attempts: number;
  worker: string | null;
  /** The process this one replays (`POST /processes/{id}/replay`); null for one a request started. */
  replayOf: string | null;
  /** Started by `POST /webrequests/{id}/test`: listed only when a listing asks for tests. */
  test: boolean;
}
