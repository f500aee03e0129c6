import { types } from 'node:util';
import { scenarioFrames } from './scenario-stack';

/** Longest error message a run reports; a scenario may throw megabytes. */
const MAX_LENGTH = 2000;

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

function errorText(thrown: object): string | null {
  const { name, message } = thrown as { name?: unknown; message?: unknown };
  if (typeof message !== 'string') return null;
  const label = typeof name === 'string' && name ? name : 'Error';
  return message ? `${label}: ${message}` : label;
}

/**
 * What a scenario threw, as `<Name>: <message>` for an error, the text itself for a thrown string:
 * never a stack trace, which would show host paths. Reading the value may run scenario code (getters),
 * so that is guarded too.
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (typeof thrown === 'object' && thrown !== null) {
      const text = errorText(thrown);
      if (text !== null) return clip(text);
    }
    if (typeof thrown === 'string') return clip(thrown || 'the scenario threw an empty string');
    return clip(`the scenario threw ${String(thrown)}`);
  } catch {
    return 'the scenario threw a value that cannot be described';
  }
}

/** What a scenario threw, for the caller, the record and the worker's log (see ProcessError). */
export interface ThrownDescription {
  /** `Name: message`, then ` (line L, column C)` when the place is known. */
  message: string;
  line?: number;
  column?: number;
  /** `Name: message` and the scenario frames, one per line; only when there is at least one. */
  stack?: string;
}

function stackOf(thrown: unknown): unknown {
  try {
    return typeof thrown === 'object' && thrown !== null ? (thrown as { stack?: unknown }).stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * {@link describeThrown}, with the place in the scenario where it was thrown: from the stack the
 * sandbox's stack format wrote (see scenario-stack.ts), its scenario frames only, so no host path or
 * sandbox internal can show. A thrown value with no scenario frame (a string, a host error) has no place.
 */
export function describeFailure(thrown: unknown): ThrownDescription {
  const text = describeThrown(thrown);
  const place = scenarioFrames(stackOf(thrown));
  if (!place) return { message: text };
  const { line, column, frames } = place;
  return { message: `${text} (line ${line}, column ${column})`, line, column, stack: [text, ...frames].join('\n') };
}

/**
 * How a scenario's error is written into its logs (`console.error(error)`): `Name: message` and its
 * scenario frames, as its stack shows them inside the sandbox, never a host path.
 */
export function errorLogText(error: unknown): string {
  return describeFailure(error).stack ?? describeThrown(error);
}

/** Own data property `key` of a raw (not proxied) object, read without running any of its code. */
function ownData(value: object, key: string): unknown {
  const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

/** `key` as a data property of `value` or of its prototypes (not proxies, a few levels at most). */
function dataOf(value: object, key: string): unknown {
  let current: object | null = value;
  for (let level = 0; current !== null && level < 8 && !types.isProxy(current); level++) {
    const found = ownData(current, key);
    if (found !== undefined) return found;
    current = Reflect.getPrototypeOf(current);
  }
  return undefined;
}

/**
 * {@link describeFailure} of the reason of a promise the scenario rejected and never handled, which
 * reaches the thread's `unhandledRejection` handler as a raw sandbox value (no vm2 proxy between it and
 * host code). So nothing of it is called: no getter, no proxy trap, no `toString`; only data properties
 * (`name`, `message`, the stack V8 wrote) are read. A value that offers none is "an object".
 */
export function describeRejection(reason: unknown): string {
  if (typeof reason !== 'object' || reason === null) return typeof reason === 'function' ? 'a function' : describeThrown(reason);
  try {
    if (types.isProxy(reason)) return 'an object';
    const snapshot = { name: dataOf(reason, 'name'), message: dataOf(reason, 'message'), stack: ownData(reason, 'stack') };
    return typeof snapshot.message === 'string' ? describeFailure(snapshot).message : 'an object';
  } catch {
    return 'an object';
  }
}
