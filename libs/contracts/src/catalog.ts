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

/** An endpoint ("external request"): a URL identifier bound to a scenario (SPEC §5). */
export interface WebRequest {
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

/** The error a process ended with, as the caller and the record see it (never a stack trace). */
export interface ProcessError {
  code: string;
  message: string;
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
}
