import { hostBytes } from './host-bytes';
import type { PreludeHandle } from './sandbox-prelude';
import { ScenarioOutputError } from './scenario-output-error';

/** The message for a return value that is not an object of output variables. */
export const NOT_AN_OBJECT = 'the scenario must return an object of output variables (or nothing)';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // vm2 maps the sandbox's Object.prototype to the host's, so a sandbox `{}` passes.
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function toJson(result: object, omitBody: boolean, prelude: PreludeHandle): string {
  try {
    return prelude.toJson(result, omitBody) ?? '{}';
  } catch (error) {
    const reason = String((error as { message?: unknown } | null)?.message ?? error).split('\n')[0];
    throw new ScenarioOutputError(`the scenario's output cannot be sent as JSON: ${reason}`);
  }
}

/**
 * Copies a scenario's (awaited) return value out of the sandbox into plain host data that a thread
 * message can carry: a JSON copy (functions and undefined values drop, as JSON does), except a `$body`
 * that holds bytes, which comes back as a plain `Uint8Array`. `undefined` is `{}`. Throws
 * {@link ScenarioOutputError} for anything else that is not a plain object, a BigInt or a cycle.
 */
export function exportOutput(result: unknown, prelude: PreludeHandle): Record<string, unknown> {
  if (result === undefined) return {};
  if (!isPlainObject(result)) throw new ScenarioOutputError(NOT_AN_OBJECT);
  const body = Object.prototype.hasOwnProperty.call(result, '$body') ? hostBytes(result.$body, prelude) : null;
  const output = JSON.parse(toJson(result, body !== null, prelude)) as Record<string, unknown>;
  // A fresh Uint8Array rather than a Buffer view: a message carries it as a Uint8Array either way,
  // and it must not share a pooled ArrayBuffer with unrelated bytes.
  if (body !== null) output.$body = new Uint8Array(body);
  return output;
}
