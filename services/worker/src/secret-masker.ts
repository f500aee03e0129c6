import type { LogEntry, ProcessError } from '@webrequests/contracts';

/** Secret values shorter than this are not masked: hiding "on" or "1" in every message would garble it and hide nothing. */
const MIN_MASKED_LENGTH = 4;

/**
 * Hides a run's secret values (as `***`) in what it leaves behind besides its output, as CI systems
 * mask theirs: an error can quote a value without the scenario meaning it to (`BigInt(secrets.x)`), and
 * its message reaches the caller, the record, the job, the dashboard and the log. The output is left
 * alone: returning a value is the scenario's own choice.
 */
export function secretMasker(secrets: Record<string, string>): (text: string) => string {
  const values = [...new Set(Object.values(secrets))].filter((value) => value.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((masked, value) => masked.split(value).join('***'), text);
}

/** A process error with the secret values hidden in its message and stack, as callers and records get it. */
export function maskedError(error: ProcessError, mask: (text: string) => string): ProcessError {
  return { ...error, message: mask(error.message), ...(error.stack === undefined ? {} : { stack: mask(error.stack) }) };
}

/** Log entries with the secret values hidden in their messages. */
export function maskedLogs(logs: readonly LogEntry[], mask: (text: string) => string): LogEntry[] {
  return logs.map((entry) => ({ ...entry, message: mask(entry.message) }));
}
