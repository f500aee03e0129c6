import type { LogEntry, SandboxOutcome } from '@webrequests/contracts';

/** An outcome of kind `error`, for failures seen from the host side (kills, a closed sandbox). */
export function errorOutcome(code: string, message: string, logs: LogEntry[], durationMs: number): SandboxOutcome {
  return { kind: 'error', error: { code, message }, logs, durationMs };
}
