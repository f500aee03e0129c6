import { ValidationError } from '@webrequests/contracts';

/**
 * A caller's time in the one canonical form (`toISOString`, UTC, milliseconds). The stores compare
 * times as text, which is only right when every stored time has the same shape.
 */
export function isoTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ValidationError(`${field} must be an ISO 8601 time`, field);
  }
  return new Date(ms).toISOString();
}

/** The current time in the canonical form. */
export function nowIso(): string {
  return new Date().toISOString();
}
