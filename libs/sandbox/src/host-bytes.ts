import { types } from 'node:util';
import type { PreludeHandle } from './sandbox-prelude';

/**
 * The bytes of a value a scenario handed over, as a host Buffer, or null when it holds no bytes. A
 * `Buffer` (or TextEncoder output, or a digest) the scenario made is a real host object once it leaves
 * the sandbox; a typed array made by the sandbox's own constructors arrives as a vm2 proxy and is read
 * by the prelude instead.
 */
export function hostBytes(value: unknown, prelude: PreludeHandle): Buffer | null {
  if (typeof value !== 'object' || value === null) return null;
  if (!types.isProxy(value)) {
    if (types.isArrayBufferView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (types.isAnyArrayBuffer(value)) return Buffer.from(value);
    return null;
  }
  const latin1 = prelude.latin1Of(value);
  return latin1 === null ? null : Buffer.from(latin1, 'latin1');
}
