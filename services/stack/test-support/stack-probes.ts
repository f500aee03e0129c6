import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestStack } from './harness';

/*
 * Ways to look at a running test stack from outside: the admin API answered whatever its status, the
 * services' log files, and the process records of one endpoint. Side channels that a test counts with
 * (log lines are written by the worker, not by the store the records come from).
 */

/** An answer of the admin API, whatever its status. */
export interface AdminAnswer<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined for an empty one. */
  body: T;
  text: string;
}

/** Calls the admin API of `base` (default: the stack's first ingress) and answers whatever it says. */
export async function adminCall<T = unknown>(stack: TestStack, method: string, path: string, body?: unknown, base = stack.ingresses[0]!): Promise<AdminAnswer<T>> {
  const response = await fetch(`${base}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T, text };
}

/** Every JSON line of the stack's log files whose name starts with `service` (default: every file). */
export function logLines(stack: TestStack, service = ''): Array<Record<string, unknown>> {
  const dir = join(stack.dir, 'logs');
  return readdirSync(dir)
    .filter((file) => file.startsWith(service) && file.endsWith('.log'))
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The workers' `process finished` lines for the processes of endpoint `urlId`. */
export function finishedLines(stack: TestStack, urlId: string): Array<Record<string, unknown>> {
  return logLines(stack, 'worker').filter((line) => line.message === 'process finished' && line.urlId === urlId);
}

/** Polls `read` until it answers something other than undefined, or the time is up (then undefined). */
export async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The process records of one endpoint (the first page, test runs left out unless `query` asks). */
export async function processesOf(stack: TestStack, webrequestId: string, query = ''): Promise<Array<Record<string, unknown>>> {
  return (await stack.admin<{ items: Array<Record<string, unknown>> }>('GET', `/processes?webrequestId=${webrequestId}&limit=500${query}`)).items;
}

/** The JSON error code of an answer's body, or null when the body is no such error. */
export function errorCodeOf(body: unknown): string | null {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : null;
}
