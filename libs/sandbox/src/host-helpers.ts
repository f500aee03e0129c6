import { TextDecoder, TextEncoder, types } from 'node:util';

/** The host classes a scenario sees as globals, through vm2's proxies. */
export interface HostHelpers {
  URL: typeof URL;
  URLSearchParams: typeof URLSearchParams;
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
}

/** Freezes an object and the functions it holds (methods, getters, setters), one level deep. */
export function freezeWithMethods<T extends object>(object: T): T {
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    for (const part of [descriptor?.value, descriptor?.get, descriptor?.set]) {
      if (typeof part === 'function') Object.freeze(part);
    }
  }
  return Object.freeze(object);
}

const isObject = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function';

/**
 * Freezes every object reached from `roots` through own properties (values, getters, setters, and the
 * own properties of those, all the way down), except the objects in `spare`, which are walked through
 * but left as they are. Prototype chains are not followed: they lead to the host's intrinsics
 * (`Function.prototype`, `Uint8Array.prototype`…), which vm2 shows the sandbox as the sandbox's own.
 */
export function freezeHostGraph(roots: readonly object[], spare: ReadonlySet<object> = new Set()): void {
  const seen = new Set<object>();
  const queue: object[] = [...roots];
  while (queue.length > 0) {
    const object = queue.pop()!;
    if (seen.has(object)) continue;
    seen.add(object);
    if (!spare.has(object)) Object.freeze(object);
    for (const key of Reflect.ownKeys(object)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
      for (const part of [descriptor?.value, descriptor?.get, descriptor?.set]) {
        if (isObject(part) && !seen.has(part)) queue.push(part);
      }
    }
  }
}

let frozen: HostHelpers | null = null;

/**
 * The helper classes, frozen on first use, and the host's `Buffer` subtree with them. vm2 passes a
 * scenario's writes to a host object through to it (`URL.prototype.x = 1` lands on this thread's own
 * `URL.prototype`), and every VM of the thread shares these objects, so without this one run could
 * plant something the next one sees, even in a fresh VM. Freezing them in place is safe because this
 * thread runs nothing but scenarios.
 *
 * - The helpers: each class, its prototype, and what hangs off them; the iterator prototype of
 *   URLSearchParams (reached through an instance).
 * - `Buffer` and `Buffer.prototype` are read-only views in the sandbox, but vm2 hands out the host
 *   functions behind them (`Buffer.prototype.toJSON`, `subarray`…, through a property descriptor) and
 *   the class `Buffer[Symbol.species]` answers (Node's `FastBuffer`) as ordinary proxies, which pass
 *   writes through. Those are frozen; `Buffer` and `Buffer.prototype` themselves are left alone.
 */
export function hostHelpers(): HostHelpers {
  if (frozen) return frozen;
  const helpers: HostHelpers = { URL, URLSearchParams, TextEncoder, TextDecoder };
  const classes = Object.values(helpers) as Array<{ prototype: object }>;
  freezeHostGraph([...classes, ...classes.map((helper) => helper.prototype), Object.getPrototypeOf(new URLSearchParams().entries()) as object]);
  const species = Object.getOwnPropertyDescriptor(Buffer, Symbol.species)?.get?.call(Buffer) as unknown;
  freezeHostGraph([Buffer, Buffer.prototype, ...(isObject(species) ? [species] : [])], new Set<object>([Buffer, Buffer.prototype]));
  frozen = helpers;
  return helpers;
}

/** How the text codecs reach bytes a scenario made with the sandbox's own typed arrays (see hostBytes). */
export interface ScenarioBytes {
  /** The bytes of a value holding bytes, as a host Buffer (a view where it can be), or null. */
  read(value: unknown): Buffer | null;
  /** The length of a Uint8Array made by the sandbox's own constructors, or null for anything else. */
  sandboxUint8Length(value: unknown): number | null;
  /** Writes `bytes` at the start of such a Uint8Array. */
  writeSandboxBytes(target: unknown, bytes: Buffer): void;
}

/** The `TextEncoder` and `TextDecoder` a scenario sees, for one VM. */
export interface ScenarioTextCodecs {
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
}

/**
 * Node's `TextEncoder` and `TextDecoder`, taught to read and write the sandbox's own typed arrays. A
 * `new Uint8Array([…])` made in a scenario reaches host code as a vm2 proxy, which Node's brand checks
 * refuse ("The "list" argument must be an instance of … ArrayBufferView"); its bytes are copied over
 * through the prelude instead, as crypto and fetch do. Frozen, like everything a scenario can reach.
 */
export function scenarioTextCodecs(bytes: ScenarioBytes): ScenarioTextCodecs {
  class ScenarioTextDecoder extends TextDecoder {
    override decode(input?: unknown, options?: { stream?: boolean }): string {
      const host = input === undefined || input === null ? null : bytes.read(input);
      return super.decode((host ?? input) as Parameters<TextDecoder['decode']>[0], options);
    }
  }
  class ScenarioTextEncoder extends TextEncoder {
    override encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
      const length = types.isProxy(destination) ? bytes.sandboxUint8Length(destination) : null;
      if (length === null) return super.encodeInto(source, destination);
      const scratch = new Uint8Array(length);
      const result = super.encodeInto(source, scratch);
      bytes.writeSandboxBytes(destination, Buffer.from(scratch.buffer, 0, result.written));
      return result;
    }
  }
  for (const [codec, name] of [
    [ScenarioTextDecoder, 'TextDecoder'],
    [ScenarioTextEncoder, 'TextEncoder'],
  ] as const) {
    Object.defineProperty(codec, 'name', { value: name });
  }
  freezeHostGraph([ScenarioTextDecoder, ScenarioTextDecoder.prototype, ScenarioTextEncoder, ScenarioTextEncoder.prototype]);
  return { TextEncoder: ScenarioTextEncoder, TextDecoder: ScenarioTextDecoder };
}
