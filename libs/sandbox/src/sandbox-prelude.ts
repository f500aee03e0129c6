import { VMScript } from 'vm2';
import { VARIABLE_NAMES } from '@webrequests/scenario-syntax';
import { ANY_RUN, type ConsoleWrite } from './scenario-console';

/** Starts a timer for the run `run`'s `sleep` (ignored once that run is over). */
export type StartTimer = (run: number, callback: () => void, ms: unknown) => void;

/**
 * How a run's `fetch` settles, called by the host: with a failure message, or with null and the
 * response (status, status text, final URL, whether redirected, headers as JSON, body as latin1).
 */
export type FetchDone = (failure: string | null, status?: number, statusText?: string, url?: string, redirected?: boolean, headersJson?: string, bodyLatin1?: string) => void;

/**
 * Starts the run `run`'s fetch (ignored once that run is over): `headersJson` holds lower-case names,
 * `body` is undefined, a string or a value holding bytes, as the scenario gave it.
 */
export type StartFetch = (run: number, url: string, method: string, headersJson: string, body: unknown, done: FetchDone) => void;

/** Decodes a latin1 string of bytes as UTF-8. */
export type DecodeUtf8 = (latin1: string) => string;

/** How a run's scenario ended, called by the sandbox: with what it returned (`ok`), or what it threw. */
export type SettleRun = (run: number, ok: boolean, value: unknown) => void;

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
   * starting its timers with `startTimer`, and a fresh `fetch` starting its requests with `startFetch`
   * (undefined when `startFetch` is null: fetch is off), all tagged with the run's token `run`. The
   * host functions are the same for every run of a VM, so that no run adds to vm2's maps of objects
   * that crossed over. The scenario's outcome comes back through `settle`, also the same for every run:
   * awaiting the scenario's promise from the host would hand it a fresh pair of host functions each
   * run, and vm2 pays for every function that crosses for the first time (it throws and catches an
   * error to learn whether one is a constructor).
   */
  call(fn: unknown, variablesJson: string, run: number, write: ConsoleWrite, startTimer: StartTimer, startFetch: StartFetch | null, utf8: DecodeUtf8, settle: SettleRun): void;
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
  /** The bytes of a sandbox-native ArrayBuffer, SharedArrayBuffer or view as a latin1 string; null for anything else. */
  latin1Of(value: unknown): string | null;
  /** The length of a sandbox-native Uint8Array (a brand check, not `instanceof`); null for anything else. */
  uint8Length(value: unknown): number | null;
  /** Writes the bytes of `latin1` at the start of a sandbox-native Uint8Array; throws a TypeError for anything else. */
  writeLatin1(target: unknown, latin1: string): void;
}

/**
 * Runs once in each VM, before anything is frozen and before any scenario. It captures the built-ins
 * it uses first; they are frozen afterwards anyway, so no scenario can change them under it.
 */
const PRELUDE_SOURCE = `(() => {
  'use strict';
  const { parse, stringify } = JSON;
  const { isView } = ArrayBuffer;
  const AB = ArrayBuffer, SAB = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : null, U8 = Uint8Array, P = Promise, Err = Error, TypeErr = TypeError;
  const promiseResolve = P.resolve, promiseThen = P.prototype.then;
  // %TypedArray%.prototype[Symbol.toStringTag] answers the kind of a real typed array, undefined for anything else.
  // Its length getter reads the real length (an own 'length' the scenario defined on the array does not count).
  const TypedArrayPrototype = Object.getPrototypeOf(U8.prototype);
  const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
  const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length').get;
  const isUint8Array = (value) => apply(typedArrayTag, value, []) === 'Uint8Array';
  const freeze = Object.freeze, getPrototypeOf = Object.getPrototypeOf, ObjectPrototype = Object.prototype, isArray = Array.isArray;
  const create = Object.create, keys = Object.keys;
  const apply = Reflect.apply, fromCharCode = String.fromCharCode, subarray = U8.prototype.subarray;
  const charCodeAt = String.prototype.charCodeAt, toLowerCase = String.prototype.toLowerCase, toUpperCase = String.prototype.toUpperCase;
  const NAMES = ${JSON.stringify(VARIABLE_NAMES)};
  const SECRETS = ${VARIABLE_NAMES.indexOf('secrets')};
  const CHUNK = 8192;
  const consoleOf = (run, write) => ({
    log: (...args) => { write(run, 'log', ...args); },
    info: (...args) => { write(run, 'info', ...args); },
    warn: (...args) => { write(run, 'warn', ...args); },
    error: (...args) => { write(run, 'error', ...args); },
  });
  const isPlain = (value) => {
    if (typeof value !== 'object' || value === null || isArray(value)) return false;
    const proto = getPrototypeOf(value);
    return proto === ObjectPrototype || proto === null;
  };
  const headersOf = (given) => {
    const headers = create(null);
    if (given === undefined || given === null) return headers;
    const pairs = isArray(given) ? given : [];
    if (!isArray(given)) for (const name of keys(given)) pairs[pairs.length] = [name, given[name]];
    for (const pair of pairs) headers[apply(toLowerCase, String(pair[0]), [])] = String(pair[1]);
    return headers;
  };
  const bytesOf = (latin1) => {
    const bytes = new U8(latin1.length);
    for (let i = 0; i < latin1.length; i++) bytes[i] = apply(charCodeAt, latin1, [i]);
    return bytes;
  };
  const responseOf = (status, statusText, url, redirected, headersJson, latin1, utf8) => {
    let text = null;
    const textOf = () => (text === null ? (text = utf8(latin1)) : text);
    return freeze({
      ok: status >= 200 && status <= 299, status, statusText, url, redirected,
      headers: freeze(parse(headersJson)),
      text: () => new P((resolve) => resolve(textOf())),
      json: () => new P((resolve) => resolve(parse(textOf()))),
      bytes: () => new P((resolve) => resolve(bytesOf(latin1))),
      arrayBuffer: () => new P((resolve) => resolve(bytesOf(latin1).buffer)),
    });
  };
  // A plain object or array body is sent as JSON; strings and bytes as they are; other values as strings.
  const fetchOf = (run, startFetch, utf8) => (input, init) => new P((resolve, reject) => {
    const done = (failure, status, statusText, url, redirected, headersJson, latin1) => {
      if (failure !== null) reject(new Err(failure));
      else resolve(responseOf(status, statusText, url, redirected, headersJson, latin1, utf8));
    };
    const options = init === undefined || init === null ? {} : init;
    const headers = headersOf(options.headers);
    let body = options.body;
    if (body === null) body = undefined;
    else if (isPlain(body) || isArray(body)) {
      body = stringify(body);
      if (headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    } else if (body !== undefined && typeof body !== 'object') body = String(body);
    const method = options.method === undefined ? 'GET' : apply(toUpperCase, String(options.method), []);
    startFetch(run, String(input), method, stringify(headers), body, done);
  });
  return {
    call(fn, variablesJson, run, write, startTimer, startFetch, utf8, settle) {
      const variables = parse(variablesJson);
      const args = [];
      for (let i = 0; i < NAMES.length; i++) args[i] = variables[NAMES[i]];
      // A run whose endpoint lists no secrets still reads \`secrets.X\` as undefined, not a TypeError.
      if (args[SECRETS] === undefined || args[SECRETS] === null) args[SECRETS] = {};
      args[NAMES.length] = consoleOf(run, write);
      args[NAMES.length + 1] = (ms) => new P((resolve) => { startTimer(run, () => resolve(), ms); });
      args[NAMES.length + 2] = startFetch === null ? undefined : fetchOf(run, startFetch, utf8);
      let result;
      try {
        result = apply(fn, undefined, args);
      } catch (error) {
        settle(run, false, error);
        return;
      }
      apply(promiseThen, apply(promiseResolve, P, [result]), [(value) => { settle(run, true, value); }, (error) => { settle(run, false, error); }]);
    },
    adopt(fn) {
      if (typeof fn !== 'function') throw new TypeError('a compiled scenario is a function');
      return freeze(fn);
    },
    globalConsole(write) {
      return freeze(consoleOf(${ANY_RUN}, write));
    },
    isPlainObject(value) {
      return isPlain(value);
    },
    toJson(output, omitBody) {
      if (!omitBody) return stringify(output);
      return stringify(output, function (key, value) { return this === output && key === '$body' ? undefined : value; });
    },
    latin1Of(value) {
      let bytes;
      if (value instanceof AB || (SAB !== null && value instanceof SAB)) bytes = new U8(value);
      else if (isView(value)) bytes = new U8(value.buffer, value.byteOffset, value.byteLength);
      else return null;
      let text = '';
      for (let i = 0; i < bytes.length; i += CHUNK) text += apply(fromCharCode, null, apply(subarray, bytes, [i, i + CHUNK]));
      return text;
    },
    uint8Length(value) {
      return isUint8Array(value) ? apply(typedArrayLength, value, []) : null;
    },
    writeLatin1(target, latin1) {
      if (!isUint8Array(target)) throw new TypeErr('expected a Uint8Array');
      const length = apply(typedArrayLength, target, []);
      for (let i = 0; i < latin1.length && i < length; i++) target[i] = apply(charCodeAt, latin1, [i]);
    },
  };
})()`;

/** The prelude, compiled once per thread and run in every VM. */
export const preludeScript = new VMScript(PRELUDE_SOURCE, 'prelude.js').compile();
