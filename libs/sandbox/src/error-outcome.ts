import type { LogEntry, ProcessErrorCode, SandboxOutcome } from '@webrequests/contracts';

/** An outcome of kind `error`, for failures seen from the host side (kills, a closed sandbox). */
export function errorOutcome(code: ProcessErrorCode, message: string, logs: LogEntry[], durationMs: number): SandboxOutcome {
  return { kind: 'error', error: { code, message }, logs, durationMs };
}
