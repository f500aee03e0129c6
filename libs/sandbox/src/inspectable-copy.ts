import { types } from 'node:util';


/** How deep a logged object is copied; deeper levels print as `[Object]`, as util.inspect's depth does. */
const MAX_DEPTH = 5;
const MAX_ITEMS = 200;

/**
 * A host copy of a value a scenario logged, for util.format. The values vm2 hands the host are
 * proxies of sandbox objects, and util.inspect shows a proxy's target, not what it stands for: Node
 * 26 prints `Proxy(Proxy({}))` for `{ a: 1 }`. Copied through their own keys, they print as they do in
 * the sandbox. Functions, dates, errors and bytes keep a readable form; nothing of theirs is called
 * but property reads (a getter that throws leaves `[Getter error]`).
 */
export function inspectableCopy(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  const object = value as object;
  if (typeof value === 'function') return namedFunction(String(safeRead(() => (value as { name?: unknown }).name) ?? ''));
  if (seen.has(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.add(object);
  try {
    if (types.isUint8Array(value)) return Buffer.from(Uint8Array.prototype.slice.call(value as Uint8Array, 0, MAX_ITEMS));
    if (value instanceof Date || types.isDate(value)) return new Date((value as Date).getTime());
    if (types.isNativeError(value) || value instanceof Error) return errorCopy(value as Error);
    if (Array.isArray(value)) {
      // Indexed by hand: the array's own slice/map would be the sandbox's, answering another proxy.
      const items = value as unknown[];
      const copy: unknown[] = [];
      const length = Math.min(Number(safeRead(() => items.length)) || 0, MAX_ITEMS);
      for (let i = 0; i < length; i++) copy.push(inspectableCopy(safeRead(() => items[i]), depth + 1, seen));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object).slice(0, MAX_ITEMS)) copy[key] = inspectableCopy(safeRead(() => (object as Record<string, unknown>)[key]), depth + 1, seen);
    return copy;
  } finally {
    seen.delete(object);
  }
}

function safeRead(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return '[Getter error]';
  }
}

/** An error as `Name: message`: its stack would name sandbox internals, never what a scenario needs. */
function errorCopy(error: Error): string {
  return `${String(safeRead(() => error.name))}: ${String(safeRead(() => error.message))}`;
}

/** A host function that prints as the scenario's did: `[Function: name]`. */
function namedFunction(name: string): () => void {
  const stand = (): void => undefined;
  Object.defineProperty(stand, 'name', { value: name });
  return stand;
}
