/**
 * Every code a process can end with, failed or aborted: one list for the runner, the record, the
 * admin API and the caller. Each has one HTTP status, in {@link PROCESS_ERROR_STATUS}.
 */
export const PROCESS_ERROR_CODES = [
  /** The scenario threw, returned something that is not a response, or went over a limit. */
  'scenario_failed',
  /** The deadline passed (sync 60 s, async 24 h), before the run or during it. */
  'timeout',
  /** An operator stopped or deleted the process. */
  'aborted',
  /** The worker running it died, twice (after one takeover). */
  'worker_lost',
  /** Its job vanished from Redis (a restart without persistence); the reaper ended the record. */
  'job_lost',
  /** The sandbox process running it died (another run's fault, or a crash of the sandbox). */
  'sandbox_crashed',
  /** The sandbox or the worker failed in a way that is nobody's input. */
  'internal_error',
  /** The store or Redis could not be reached while the process ran. */
  'unavailable',
] as const;

export type ProcessErrorCode = (typeof PROCESS_ERROR_CODES)[number];

/**
 * The status a sync caller gets for each code (the error table of docs/scenarios.md). A fault of the scenario or
 * of the sandbox is 500; a process the service could not finish (its worker or job lost, an operator's
 * stop, a store outage) is 503; the deadline is 504.
 */
export const PROCESS_ERROR_STATUS: Readonly<Record<ProcessErrorCode, number>> = {
  scenario_failed: 500,
  sandbox_crashed: 500,
  internal_error: 500,
  aborted: 503,
  worker_lost: 503,
  job_lost: 503,
  unavailable: 503,
  timeout: 504,
};

/** The error of a process whose job vanished from Redis: the reaper and the ingress record it alike. */
export const JOB_LOST_ERROR = {
  code: 'job_lost',
  message: 'the job of this process is gone from Redis (a restart without persistence?); it never finished',
} as const satisfies { code: ProcessErrorCode; message: string };

const KNOWN = new Set<string>(PROCESS_ERROR_CODES);

/** Whether `code` is one of {@link PROCESS_ERROR_CODES}. */
export function isProcessErrorCode(code: unknown): code is ProcessErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}
