import type { ProcessRecord, Scenario, SecretInfo, WebRequest } from '@webrequests/contracts';
// Types only (erased from the bundle): the ingress's own type of what a test run answers.
import type { TestAnswer } from '@webrequests/ingress';

/**
 * The console's only way to the service: the admin API, with the token of this browser session as
 * Bearer. The record types are the contract types the API's zod schemas are typed against.
 */
export type { ProcessRecord, Scenario, SecretInfo, TestAnswer, WebRequest };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An answer of the admin API other than 2xx, with its error's code, message and offending field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'webrequests.adminToken';
/** Dispatched on `window` when the kept token stops working (the token was changed): the app asks again. */
export const SIGNED_OUT_EVENT = 'webrequests:signed-out';

/** The token of this browser session (sessionStorage only: gone when the tab closes). */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: (): void => {
    sessionStorage.removeItem(TOKEN_KEY);
    dispatchEvent(new Event(SIGNED_OUT_EVENT));
  },
};

/** Calls `/api/admin{path}`; resolves to the parsed JSON (undefined for 204), rejects with an {@link ApiError}. */
export async function api<T>(method: string, path: string, body?: unknown, token = session.token()): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/admin${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    if (response.status === 401 && token === session.token()) session.signOut();
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `${response.status} ${response.statusText}`, error?.field);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'error', message: text.slice(0, 300) } };
  }
}

/** A query string from the set values of `params` (`?a=1&b=2`, or ''). */
export function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The message to show for a failed call. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The line a syntax or run error names (`… (line 3)`, `… (line 3, column 7)`), if any. */
export function errorLine(message: string | undefined): number | null {
  const match = /\(line (\d+)(?:, column \d+)?\)/.exec(message ?? '');
  return match ? Number(match[1]) : null;
}
