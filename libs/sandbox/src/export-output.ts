import { hostBytes } from './host-bytes';
import type { PreludeHandle } from './sandbox-prelude';
import { ScenarioOutputError } from './scenario-output-error';

/** The message for a return value that is not an object of output variables. */
export const NOT_AN_OBJECT = 'the scenario must return an object of output variables (or nothing)';

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
  if (!prelude.isPlainObject(result)) throw new ScenarioOutputError(NOT_AN_OBJECT);
  const output = result as Record<string, unknown>;
  const body = Object.prototype.hasOwnProperty.call(output, '$body') ? hostBytes(output.$body, prelude) : null;
  const copy: unknown = JSON.parse(toJson(output, body !== null, prelude));
  // A `toJSON` method can turn the object into anything.
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new ScenarioOutputError(NOT_AN_OBJECT);
  // A fresh Uint8Array rather than a Buffer view: a message carries it as a Uint8Array either way,
  // and it must not share a pooled ArrayBuffer with unrelated bytes.
  if (body !== null) (copy as Record<string, unknown>).$body = new Uint8Array(body);
  return copy as Record<string, unknown>;
}
