import { VMScript } from 'vm2';
import type { ScenarioVariables } from '@webrequests/contracts';

/** Every scenario variable; a `Record` so the compiler fails when the contract gains or loses one. */
const VARIABLES: Record<keyof ScenarioVariables, true> = {
  event: true,
  script: true,
  user: true,
  url: true,
  method: true,
  headers: true,
  cookies: true,
  query: true,
  body: true,
  files: true,
  rawBody: true,
};

/**
 * What the prelude hands the host, from inside a fresh VM. These run in the sandbox's own realm on
 * purpose: host code reading sandbox values goes through vm2's proxies one property at a time, which
 * is slow (a 1 MiB Uint8Array read element by element takes seconds), while the sandbox's own
 * `JSON` and typed arrays do the same work natively and hand back one string.
 */
export interface PreludeHandle {
  /** Makes the variables (JSON) plain identifiers of the scenario, as sandbox-native values, and defines `sleep`. */
  install(variablesJson: string, startTimer: (callback: () => void, ms: unknown) => void): void;
  /**
   * Whether the value is a plain object (`{}` or a null-prototype object). Asked of the sandbox because
   * vm2 shows the host `Object.prototype` as the prototype of any sandbox object it does not map.
   */
  isPlainObject(value: unknown): boolean;
  /** The sandbox's own `JSON.stringify` of the output, without `$body` when `omitBody`; throws on BigInt or cycles. */
  toJson(output: unknown, omitBody: boolean): string | undefined;
  /** The bytes of a sandbox-native ArrayBuffer or view as a latin1 string; null for anything else. */
  latin1Of(value: unknown): string | null;
}

/**
 * Runs in each fresh VM before the scenario. It captures the built-ins it uses first, so a scenario
 * that overwrites `JSON` or `String.fromCharCode` can only spoil its own output.
 */
const PRELUDE_SOURCE = `(() => {
  'use strict';
  const g = globalThis;
  const { parse, stringify } = JSON;
  const { isView } = ArrayBuffer;
  const AB = ArrayBuffer, U8 = Uint8Array, P = Promise;
  const getPrototypeOf = Object.getPrototypeOf, ObjectPrototype = Object.prototype, isArray = Array.isArray;
  const apply = Reflect.apply, fromCharCode = String.fromCharCode, subarray = U8.prototype.subarray;
  const NAMES = ${JSON.stringify(Object.keys(VARIABLES))};
  const CHUNK = 8192;
  return {
    install(variablesJson, startTimer) {
      const variables = parse(variablesJson);
      for (const name of NAMES) g[name] = variables[name];
      g.sleep = (ms) => new P((resolve) => { startTimer(() => resolve(), ms); });
    },
    isPlainObject(value) {
      if (typeof value !== 'object' || value === null || isArray(value)) return false;
      const proto = getPrototypeOf(value);
      return proto === ObjectPrototype || proto === null;
    },
    toJson(output, omitBody) {
      if (!omitBody) return stringify(output);
      return stringify(output, function (key, value) { return this === output && key === '$body' ? undefined : value; });
    },
    latin1Of(value) {
      let bytes;
      if (value instanceof AB) bytes = new U8(value);
      else if (isView(value)) bytes = new U8(value.buffer, value.byteOffset, value.byteLength);
      else return null;
      let text = '';
      for (let i = 0; i < bytes.length; i += CHUNK) text += apply(fromCharCode, null, apply(subarray, bytes, [i, i + CHUNK]));
      return text;
    },
  };
})()`;

/** The prelude, compiled once per thread and run in every VM. */
export const preludeScript = new VMScript(PRELUDE_SOURCE, 'prelude.js').compile();
