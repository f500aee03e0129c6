import type { LogEntry, RunVariables, SandboxOutcome, ScenarioVariables } from '@webrequests/contracts';

/** One run of a scenario: what to run, with which variables, and until when. */
export interface SandboxRequest {
  /** The scenario's id; with `scriptVersion`, the key under which its compiled form is cached. */
  scriptId: string;
  /** Changes whenever the source changes (the scenario's `updatedAt`), so a cached compile is never stale. */
  scriptVersion: string;
  /** JavaScript source: the body of an `async` function (SPEC §4). */
  source: string;
  /** The request's variables, and the values of the endpoint's secrets (absent: none, `secrets` is `{}`). */
  variables: ScenarioVariables & Partial<Pick<RunVariables, 'secrets'>>;
  /** Milliseconds since the epoch; at this instant the run is killed wherever it is. */
  deadline: number;
  /** Aborted when an operator stops the process: the run is killed and ends with code `aborted`. */
  signal?: AbortSignal;
  /** The caller's own number for this run, handed to the fetcher with each of its fetches. */
  tag?: number;
  /** Told of each log entry as the scenario writes it (the outcome carries them all as well). */
  onLog?: (entry: LogEntry) => void;
}

/**
 * Runs scenarios in isolation. Small on purpose (source, variables, deadline → output or error), so the
 * implementation can move into a separate process without its callers noticing.
 */
export interface Sandbox {
  /**
   * Runs one scenario. Never rejects: every failure is an outcome of kind `error` with code `timeout`
   * (deadline), `aborted` (operator stop or sandbox closed), `scenario_failed` (the scenario's fault),
   * `sandbox_crashed` (the sandbox process running it died) or `internal_error` (the sandbox failed).
   */
  run(req: SandboxRequest): Promise<SandboxOutcome>;
  /** Kills every thread; runs still in flight end `aborted`. Call it after the job consumer has drained. */
  close(): Promise<void>;
}
