import type { LogEntry, ScenarioVariables } from '@webrequests/contracts';

/** Settings every sandbox thread starts with (its `workerData`). */
export interface ThreadSettings {
  maxLogEntries: number;
  /** Bytes of UTF-8 log messages kept per run. */
  maxLogBytes: number;
  /** The thread's heap cap, also the largest single `Buffer` a scenario may allocate. */
  memoryMb: number;
  /** Runs one VM serves before the thread replaces it. */
  runsPerVm: number;
  /** SCENARIO_FETCH_ALLOW's host patterns (see FetchAllowList); empty: scenarios have no `fetch`. */
  fetchAllow: string[];
}

/** One run, as posted to a sandbox thread. */
export interface ThreadTask {
  /** Ties the log entries the thread streams back to this run. */
  runId: number;
  scriptId: string;
  scriptVersion: string;
  source: string;
  variables: ScenarioVariables;
  deadline: number;
}

/**
 * A log entry streamed to the host as it is written, so a run that gets killed still has the logs it
 * wrote before (the outcome of a killed run never arrives).
 */
export interface ThreadLogMessage {
  kind: 'sandbox-log';
  runId: number;
  entry: LogEntry;
}

/** Tells the thread's log messages apart from anything else a pool emits. */
export function isThreadLogMessage(value: unknown): value is ThreadLogMessage {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sandbox-log';
}
