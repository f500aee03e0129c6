import { validateHeaderName, validateHeaderValue } from 'node:http';
import { ScenarioFailedError } from './errors';
import type { ResponseSpec } from './messages';

/** Headers that belong to one connection, not to the answer: a scenario's values for them are ignored. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

function fail(message: string): never {
  throw new ScenarioFailedError(message);
}

function statusOf(value: unknown): number {
  if (value === undefined) return 200;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599) {
    fail(`$status must be an integer from 100 to 599, got ${JSON.stringify(value) ?? String(value)}`);
  }
  // Node sends a 1xx as an interim response and the caller keeps waiting for a final one that never comes.
  if (value < 200) fail(`$status ${value} is an informational (1xx) status, which cannot be the final answer; use 200 to 599`);
  return value;
}

function headerValue(name: string, value: unknown): string | string[] {
  const one = (v: unknown): string => {
    if (typeof v !== 'string' && typeof v !== 'number') fail(`$headers["${name}"] must be a string, a number or an array of strings`);
    const text = String(v);
    try {
      validateHeaderValue(name, text);
    } catch {
      fail(`$headers["${name}"] has an invalid value (control characters are not allowed)`);
    }
    return text;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function headersOf(value: unknown): Record<string, string | string[]> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) fail('$headers must be an object of header names to values');
  const headers: Record<string, string | string[]> = {};
  for (const [name, raw] of Object.entries(value)) {
    try {
      validateHeaderName(name);
    } catch {
      fail(`$headers has an invalid header name ${JSON.stringify(name)}`);
    }
    if (HOP_BY_HOP.has(name.toLowerCase()) || raw === undefined) continue;
    headers[name] = headerValue(name, raw);
  }
  return headers;
}

function bodyOf(output: Record<string, unknown>): { bytes: Buffer | null; contentType: string | null } {
  if (!('$body' in output) || output.$body === undefined) {
    const visible = Object.fromEntries(Object.entries(output).filter(([key]) => !key.startsWith('$')));
    return { bytes: Buffer.from(JSON.stringify(visible)), contentType: 'application/json; charset=utf-8' };
  }
  const body = output.$body;
  if (body === null) return { bytes: null, contentType: null };
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain; charset=utf-8' };
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body), contentType: 'application/octet-stream' };
  const json = JSON.stringify(body);
  if (json === undefined) fail('$body must be a string, bytes, a JSON value or null');
  return { bytes: Buffer.from(json), contentType: 'application/json; charset=utf-8' };
}

/**
 * Turns a scenario's output variables into the HTTP answer (SPEC §3): `$status`, `$headers` and `$body`
 * shape it; without `$body` the answer is the JSON of the variables not starting with `$`. A binary
 * `$body` must arrive as a `Uint8Array`. Throws {@link ScenarioFailedError} naming what is invalid.
 */
export function toResponseSpec(output: unknown): ResponseSpec {
  if (output === undefined) output = {};
  if (!isPlainObject(output)) fail('the scenario must return an object of output variables (or nothing)');
  const status = statusOf(output.$status);
  const headers = headersOf(output.$headers);
  const { bytes, contentType } = bodyOf(output);
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (contentType && !hasContentType) headers['Content-Type'] = contentType;
  return { status, headers, bodyBase64: bytes ? bytes.toString('base64') : null };
}
