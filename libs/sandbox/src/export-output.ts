import { types } from 'node:util';
import { workerData } from 'node:worker_threads';
import { hostBytes } from './host-bytes';
import type { PreludeHandle } from './sandbox-prelude';
import { ScenarioOutputError } from './scenario-output-error';

/** The message for a return value that is not an object of output variables. */
export const NOT_AN_OBJECT = 'the scenario must return an object of output variables (or nothing)';

/** MAX_ANSWER_BYTES when the thread's settings name none. */
export const DEFAULT_MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** Levels of objects and arrays an answer may nest, the answer itself being the first. */
export const MAX_ANSWER_DEPTH = 200;

/** How large and how deep an answer may be. */
export interface AnswerLimits {
  /** Bytes of the answer's JSON, a binary `$body` counted as its raw bytes (MAX_ANSWER_BYTES). */
  maxBytes: number;
  maxDepth: number;
}

/** The limits of this sandbox thread: `maxAnswerBytes` from its settings (its `workerData`), else the defaults. */
function threadLimits(): AnswerLimits {
  const given = (workerData as { maxAnswerBytes?: unknown } | null)?.maxAnswerBytes;
  const maxBytes = typeof given === 'number' && Number.isFinite(given) && given > 0 ? given : DEFAULT_MAX_ANSWER_BYTES;
  return { maxBytes, maxDepth: MAX_ANSWER_DEPTH };
}

const THREAD_LIMITS = threadLimits();

/** `9 MB`, `30.1 MB`, `512 KB`, `700 bytes`: binary units, one decimal where it matters. */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${(bytes / size).toFixed(1).replace(/\.0$/, '')} ${unit}`;
  }
  return `${bytes} bytes`;
}

function tooLarge(bytes: number, limits: AnswerLimits): ScenarioOutputError {
  return new ScenarioOutputError(`the answer is ${formatBytes(bytes)}, over MAX_ANSWER_BYTES (${formatBytes(limits.maxBytes)})`);
}

function tooDeep(limits: AnswerLimits): ScenarioOutputError {
  return new ScenarioOutputError(`the answer is nested deeper than ${limits.maxDepth} levels`);
}

/**
 * Whether JSON text nests objects and arrays deeper than `maxDepth`. Scans the text once, skipping
 * strings, since the host cannot walk the answer itself: every step through a vm2 proxy is slow, and a
 * deep answer is exactly what cannot be copied out (a thread message cannot carry a few thousand levels).
 */
export function nestsDeeperThan(json: string, maxDepth: number): boolean {
  let depth = 0;
  const length = json.length;
  for (let i = 0; i < length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // To the closing quote; JSON escapes are a backslash and one character (or \uXXXX, whose digits hold no quote).
      for (i++; i < length; i++) {
        const d = json.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** A stack overflow while serialising: the answer nests so deep that the sandbox's own JSON gives up. */
function isStackOverflow(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /maximum call stack size exceeded/i.test(message);
}

function toJson(result: object, prelude: PreludeHandle, limits: AnswerLimits): string {
  try {
    return prelude.toJson(result, false) ?? '{}';
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeep(limits);
    const reason = String((error as { message?: unknown } | null)?.message ?? error).split('\n')[0];
    throw new ScenarioOutputError(`the scenario's output cannot be sent as JSON: ${reason}`);
  }
}

/**
 * The output variables other than `$body`, as a host object holding the scenario's own values. Asking
 * the sandbox's JSON to skip `$body` with a replacer is not enough: JSON calls a value's `toJSON`
 * before the replacer sees it, and a Buffer's `toJSON` turns every byte into an array element.
 */
function withoutBody(output: Record<string, unknown>): Record<string, unknown> {
  // Null prototype: an own `__proto__` key stays a key.
  const rest = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(output)) if (key !== '$body') rest[key] = output[key];
  return rest;
}

/**
 * The size a binary `$body` made in the sandbox says it has, read before its bytes are copied out, so
 * that a huge one fails on its size rather than on the memory its copy would take. Only a first check:
 * the bytes copied are counted again.
 */
function announcedBytes(value: unknown): number {
  if (typeof value !== 'object' || value === null || !types.isProxy(value)) return 0;
  try {
    const size = (value as { byteLength?: unknown }).byteLength;
    return typeof size === 'number' && Number.isFinite(size) ? size : 0;
  } catch {
    return 0;
  }
}

function bodyBytes(output: Record<string, unknown>, prelude: PreludeHandle, limits: AnswerLimits): Buffer | null {
  if (!Object.prototype.hasOwnProperty.call(output, '$body')) return null;
  const body = output.$body;
  const announced = announcedBytes(body);
  if (announced > limits.maxBytes) throw tooLarge(announced, limits);
  const bytes = hostBytes(body, prelude);
  if (bytes !== null && bytes.length > limits.maxBytes) throw tooLarge(bytes.length, limits);
  return bytes;
}

/**
 * Copies a scenario's (awaited) return value out of the sandbox into plain host data that a thread
 * message can carry: a JSON copy (functions and undefined values drop, as JSON does), except a `$body`
 * that holds bytes, which comes back as a plain `Uint8Array`. `undefined` is `{}`. Throws
 * {@link ScenarioOutputError} for anything else that is not a plain object, a BigInt or a cycle, and for
 * an answer over `limits` (MAX_ANSWER_BYTES of JSON, a binary `$body` counted as its raw bytes, or
 * nested deeper than {@link MAX_ANSWER_DEPTH} levels), checked before the host parses any of it.
 */
export function exportOutput(result: unknown, prelude: PreludeHandle, limits: AnswerLimits = THREAD_LIMITS): Record<string, unknown> {
  if (result === undefined) return {};
  if (!prelude.isPlainObject(result)) throw new ScenarioOutputError(NOT_AN_OBJECT);
  const output = result as Record<string, unknown>;
  const body = bodyBytes(output, prelude, limits);
  const json = toJson(body === null ? output : withoutBody(output), prelude, limits);
  const size = Buffer.byteLength(json) + (body?.length ?? 0);
  if (size > limits.maxBytes) throw tooLarge(size, limits);
  if (nestsDeeperThan(json, limits.maxDepth)) throw tooDeep(limits);
  const copy: unknown = JSON.parse(json);
  // A `toJSON` method can turn the object into anything.
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new ScenarioOutputError(NOT_AN_OBJECT);
  // A fresh Uint8Array rather than a Buffer view: a message carries it as a Uint8Array either way,
  // and it must not share a pooled ArrayBuffer with unrelated bytes.
  if (body !== null) (copy as Record<string, unknown>).$body = new Uint8Array(body);
  return copy as Record<string, unknown>;
}
