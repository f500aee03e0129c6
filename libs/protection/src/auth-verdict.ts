import { findHeader, type RequestHeaders } from './request-headers';

/** What `verifyAuth` reads of a request: its headers and the exact bytes of its body. */
export interface InboundRequest {
  /** Node's `IncomingMessage.headers`: lower-case names. */
  headers: RequestHeaders;
  rawBody: Buffer;
}

/** Why a request failed its endpoint's `auth` check; a stable word for logs and metrics. */
export type AuthFailureReason =
  | 'missing_credentials'
  | 'wrong_credentials'
  | 'malformed_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'secret_missing';

export type AuthFailure = {
  ok: false;
  reason: AuthFailureReason;
  /** What is wrong, fit for a log line and the caller's 401; never a secret or a signature. */
  message: string;
};

export type AuthVerdict = { ok: true } | AuthFailure;

/** A step of a check: the value it read, or the verdict that ends the check. */
export type Checked<T> = { ok: true; value: T } | AuthFailure;

export const PASSED: AuthVerdict = Object.freeze({ ok: true });

export function reject(reason: AuthFailureReason, message: string): AuthFailure {
  return { ok: false, reason, message };
}

export function checked<T>(value: T): Checked<T> {
  return { ok: true, value };
}

/**
 * The one value of a header the check needs. Absent or empty: `missing_credentials`. Sent more than
 * once: rejected with `repeatedReason`, not resolved to one copy, since a proxy on the way may have
 * honoured another copy than the one we would pick. (Node itself keeps only the first `Authorization`
 * and joins repeated custom headers with `, `, which then fails as a malformed value.)
 */
export function requiredHeader(request: InboundRequest, name: string, repeatedReason: AuthFailureReason): Checked<string> {
  const value = findHeader(request.headers, name);
  if (value === undefined) return reject('missing_credentials', `${name} is missing`);
  if (Array.isArray(value)) return reject(repeatedReason, `${name} is sent ${value.length} times; send it once`);
  return checked(value);
}
