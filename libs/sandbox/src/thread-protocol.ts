import type { LogEntry, SandboxOutcome, ScenarioVariables } from '@webrequests/contracts';
import type { FetchAnswer, OutboundRequest } from './outbound-fetch';

/** Settings every sandbox thread starts with (its `workerData`). */
export interface ThreadSettings {
  maxLogEntries: number;
  /** Bytes of UTF-8 log messages kept per run. */
  maxLogBytes: number;
  /** The thread's heap cap, also the largest single `Buffer` a scenario may allocate. */
  memoryMb: number;
  /** Runs one VM serves before the thread replaces it. */
  runsPerVm: number;
  /** Whether scenarios have a `fetch`; the thread relays each call to its host, which holds the allow-list. */
  fetchOn: boolean;
  /** Largest answer a run may give, in bytes (MAX_ANSWER_BYTES); absent: the sandbox's default. */
  maxAnswerBytes?: number;
}

/** One run, as posted to a sandbox thread. */
export interface ThreadTask {
  /** Ties what the thread sends back (logs, fetches, the outcome) to this run. */
  runId: number;
  scriptId: string;
  scriptVersion: string;
  source: string;
  /**
   * The variables as they are, or as `v8.serialize` bytes (a sandbox process forwards the worker's
   * bytes without reading them; the thread deserializes them, once).
   */
  variables: ScenarioVariables | PackedVariables;
  deadline: number;
}

/** Variables serialized with `v8.serialize`, to be deserialized only where the scenario runs. */
export interface PackedVariables {
  packed: Uint8Array;
}

/** What the host sends a thread: a run to start, or the answer to one of its fetches. */
export type HostToThread =
  | { kind: 'run'; task: ThreadTask }
  | { kind: 'fetch-answer'; runId: number; fetchId: number; answer: FetchAnswer }
  | { kind: 'fetch-failed'; runId: number; fetchId: number; message: string };

/**
 * What a thread sends its host. `ready` once it listens; `started` as soon as a run is taken and `idle` once the run's promise
 * jobs are done after its outcome: a thread that is late with either (an endless chain of promise jobs
 * keeps it from ever getting there) is killed, so it never holds up another caller's run. `log`
 * streams each entry as it is written, so a run that gets killed still has the logs it wrote.
 */
export type ThreadToHost =
  | { kind: 'ready' }
  | { kind: 'started'; runId: number }
  | { kind: 'log'; runId: number; entry: LogEntry }
  | { kind: 'fetch'; runId: number; fetchId: number; request: OutboundRequest }
  | { kind: 'fetch-abort'; runId: number; fetchId: number }
  | { kind: 'outcome'; runId: number; outcome: SandboxOutcome }
  | { kind: 'idle'; runId: number };
