import { VMScript } from 'vm2';
import { VARIABLE_NAMES } from './compile-scenario';
import { ANY_RUN, type ConsoleWrite } from './scenario-console';

/** Starts a timer for the run `run`'s `sleep` (ignored once that run is over). */
export type StartTimer = (run: number, callback: () => void, ms: unknown) => void;

/**
 * What the prelude hands the host, from inside a VM. These run in the sandbox's own realm on purpose:
 * host code reading sandbox values goes through vm2's proxies one property at a time, which is slow
 * (a 1 MiB Uint8Array read element by element takes seconds), while the sandbox's own `JSON` and typed
 * arrays do the same work natively and hand back one string.
 */
export interface PreludeHandle {
  /**
   * Calls a compiled scenario function with this run's own objects: the variables parsed from JSON
   * into fresh sandbox-native values, a fresh `console` writing through `write` and a fresh `sleep`
   * starting its timers with `startTimer`, both tagged with the run's token `run`. `write` and
   * `startTimer` are the same functions for every run of a VM, so that no run adds to vm2's maps of
   * objects that crossed over. Answers the scenario's promise.
   */
  call(fn: unknown, variablesJson: string, run: number, write: ConsoleWrite, startTimer: StartTimer): unknown;
  /** Freezes a compiled scenario function (the VM keeps it for later runs) and hands it back. */
  adopt(fn: unknown): unknown;
  /** A frozen `console` for the global object, for code that does not see the run's own one (`Function(...)`). */
  globalConsole(write: ConsoleWrite): unknown;
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
 * Runs once in each VM, before anything is frozen and before any scenario. It captures the built-ins
 * it uses first; they are frozen afterwards anyway, so no scenario can change them under it.
 */
const PRELUDE_SOURCE = `(() => {
  'use strict';
  const { parse, stringify } = JSON;
  const { isView } = ArrayBuffer;
  const AB = ArrayBuffer, U8 = Uint8Array, P = Promise;
  const freeze = Object.freeze, getPrototypeOf = Object.getPrototypeOf, ObjectPrototype = Object.prototype, isArray = Array.isArray;
  const apply = Reflect.apply, fromCharCode = String.fromCharCode, subarray = U8.prototype.subarray;
  const NAMES = ${JSON.stringify(VARIABLE_NAMES)};
  const CHUNK = 8192;
  const consoleOf = (run, write) => ({
    log: (...args) => { write(run, 'log', ...args); },
    info: (...args) => { write(run, 'info', ...args); },
    warn: (...args) => { write(run, 'warn', ...args); },
    error: (...args) => { write(run, 'error', ...args); },
  });
  return {
    call(fn, variablesJson, run, write, startTimer) {
      const variables = parse(variablesJson);
      const args = [];
      for (let i = 0; i < NAMES.length; i++) args[i] = variables[NAMES[i]];
      args[NAMES.length] = consoleOf(run, write);
      args[NAMES.length + 1] = (ms) => new P((resolve) => { startTimer(run, () => resolve(), ms); });
      return apply(fn, undefined, args);
    },
    adopt(fn) {
      if (typeof fn !== 'function') throw new TypeError('a compiled scenario is a function');
      return freeze(fn);
    },
    globalConsole(write) {
      return freeze(consoleOf(${ANY_RUN}, write));
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
