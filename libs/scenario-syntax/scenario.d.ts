/// <reference lib="es2022" />
/**
 * The names a scenario sees (docs/scenarios.md), for editors and type checks of scenario files.
 *
 * A scenario is the body of an async function that the sandbox calls with the request's variables
 * and its helpers. Everything it can name beyond the ES2022 built-ins is declared here, and nothing
 * else: no DOM (`window`, `document`) and no Node.js (`require`, `process`, `setTimeout`), so naming
 * one of those is an error. Use it with `"lib": ["es2022"]` and `"types": []` (see
 * examples/jsconfig.json): the DOM library and @types/node declare their own `console`, `fetch`, `URL`,
 * `Buffer`… and would clash with these.
 *
 * The ES2022 library still names `Proxy`, `WeakRef` and `FinalizationRegistry`, which the sandbox
 * lacks; `fetch` is declared although it exists only when the workers set `SCENARIO_FETCH_ALLOW`.
 */

// ---------------------------------------------------------------------------------------------------
// The variables: plain JSON data, a fresh copy for each run.

/** An authentication the endpoint checked before the scenario ran (`event.auth`). */
interface ScenarioPassedAuth {
  type: 'none' | 'bearer' | 'header' | 'basic' | 'hmac';
  preset?: 'github' | 'stripe' | 'slack' | 'shopify' | 'standard-webhooks' | 'custom';
}

/** What started the run. */
interface ScenarioEvent {
  /** The endpoint's id (the `webrequestId` of the process record). */
  id: string;
  type: '$webRequest';
  /** True when the caller asked for `?async=true` (or `?async=1`). */
  async: boolean;
  /** Which of the endpoint's `auth` checks the request passed; absent when the endpoint has none. */
  auth?: ScenarioPassedAuth;
}

/** A query-string or form value as qs parses it: strings, arrays and objects of them. */
type ScenarioQueryValue = string | ScenarioQueryValue[] | ScenarioQuery;

/** The query string (or a form's fields), nested `a[b]=1` included. */
interface ScenarioQuery {
  [name: string]: ScenarioQueryValue | undefined;
}

/** One multipart file part. `Buffer.from(file.base64, 'base64')` gives its bytes. */
interface FilePart {
  /** The form field's name. */
  field: string;
  /** The file name without any directory; `''` when the part had none. */
  filename: string;
  /** The part's `Content-Type`; `text/plain` when it had none. */
  contentType: string;
  /** In bytes. */
  size: number;
  base64: string;
}

/** What started the run: `{ id, type: '$webRequest', async, auth? }`. */
declare let event: ScenarioEvent;
/** The scenario's own id. */
declare let script: { id: string };
/** Always `{ id: null }`: an external caller is no known user. */
declare let user: { id: null };
/** The full URL of the request, with its query string. */
declare let url: string;
/** Upper case, as sent: `'GET'`, `'POST'`, `'OPTIONS'`… */
declare let method: string;
/** The request headers, lower-case names; every value a string except `set-cookie`, an array. */
declare let headers: Record<string, string | string[] | undefined>;
/** The `Cookie` header parsed into `{ name: value }`, values URL-decoded. */
declare let cookies: Record<string, string | undefined>;
/** The query string parsed by qs; every value a string, or an array or object of strings. */
declare let query: ScenarioQuery;
/**
 * The body parsed by its content type: the JSON value; an object of the fields of a urlencoded or
 * multipart form; the text of other textual types; base64 of anything else; `{}` when empty.
 */
declare let body: any;
/** Multipart file parts; `[]` when none. */
declare let files: FilePart[];
/** The body as received: UTF-8 text for textual types, base64 otherwise. For signature checks. */
declare let rawBody: string;
/** `{ NAME: value }` for the secrets the endpoint lists; a name the catalog lacks is absent. */
declare let secrets: Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------------
// The answer.

/**
 * The object a scenario returns: its output variables. In a sync call `$status`, `$headers` and
 * `$body` shape the HTTP answer; without `$body`, the body is the JSON of the fields not starting
 * with `$`. Returning nothing is the output `{}`.
 */
interface ScenarioAnswer {
  /** The status code, an integer from 200 to 599; default 200. */
  $status?: number;
  /** Header names to values; an array sends the header once per element (`Set-Cookie`). */
  $headers?: Record<string, string | number | readonly (string | number)[]>;
  /** A string, bytes (Buffer, typed array, ArrayBuffer), `null` (no body) or any other JSON value. */
  $body?: unknown;
  [name: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------
// The helpers.

/** Anything holding bytes: a `Buffer`, a typed array, a `DataView` or an `ArrayBuffer`. */
type ScenarioBytes = ArrayBufferView | ArrayBufferLike;

/** Written into the process record's `logs`, formatted as Node's `util.format` does. Only these four. */
declare const console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};

/** Resolves after `ms` milliseconds; the only timer (there is no `setTimeout`). */
declare function sleep(ms: number): Promise<void>;

/** What `update` reads a string as; UTF-8 when omitted. */
type ScenarioInputEncoding = 'utf8' | 'utf-8' | 'hex' | 'base64' | 'base64url' | 'latin1';
/** What `digest` writes; a `Buffer` when omitted. */
type ScenarioDigestEncoding = 'hex' | 'base64' | 'base64url' | 'latin1';

/** A hash or HMAC being computed. */
interface ScenarioDigest {
  /** Adds data; returns the same object, so calls chain. */
  update(data: string | ScenarioBytes, inputEncoding?: ScenarioInputEncoding): ScenarioDigest;
  digest(): Buffer;
  digest(encoding: ScenarioDigestEncoding): string;
}

/** A subset of `node:crypto`, enough to check a webhook's signature. */
declare const crypto: {
  /** Any algorithm Node supports: `'sha256'`, `'sha1'`, `'sha512'`, `'md5'`… */
  createHash(algorithm: string): ScenarioDigest;
  createHmac(algorithm: string, key: string | ScenarioBytes): ScenarioDigest;
  /** Constant-time comparison; throws a `RangeError` when the lengths differ, so compare them first. */
  timingSafeEqual(a: string | ScenarioBytes, b: string | ScenarioBytes): boolean;
  /** A random UUID (version 4). */
  randomUUID(): string;
};

/** The body of a `fetch`: a string, bytes, or a plain object or array (sent as JSON). */
type ScenarioFetchBody = string | ScenarioBytes | { [key: string]: unknown } | unknown[] | null;

interface ScenarioFetchInit {
  /** Default `GET`; upper-cased. */
  method?: string;
  /** Names are lower-cased, values made strings. */
  headers?: Record<string, string | number | boolean> | readonly (readonly [string, string | number | boolean])[];
  /** A plain object or array is sent as JSON, with `content-type: application/json` unless given. */
  body?: ScenarioFetchBody;
}

/** A fetch's answer, its body read whole. A 4xx or 5xx answer does not reject: check `ok`. */
interface ScenarioFetchResponse {
  /** `status` is 200–299. */
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  /** The URL of the last hop. */
  readonly url: string;
  /** Whether a redirect was followed. */
  readonly redirected: boolean;
  /** Lower-case names; a repeated header is joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  text(): Promise<string>;
  json(): Promise<any>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Outbound HTTP (`http:` and `https:` only), to the hosts the operator allows in
 * `SCENARIO_FETCH_ALLOW`; without it `fetch` is undefined. Rejects with an `Error` saying why when the
 * host is refused or the request fails.
 */
declare function fetch(url: string | URL, init?: ScenarioFetchInit): Promise<ScenarioFetchResponse>;

// ---------------------------------------------------------------------------------------------------
// Node's Buffer: the sandbox hands scenarios Node's own class. The part a scenario needs is declared.

type BufferEncoding = 'ascii' | 'utf8' | 'utf-8' | 'utf16le' | 'utf-16le' | 'ucs2' | 'ucs-2' | 'base64' | 'base64url' | 'latin1' | 'binary' | 'hex';

interface Buffer extends Uint8Array<ArrayBuffer> {
  toString(encoding?: BufferEncoding, start?: number, end?: number): string;
  toJSON(): { type: 'Buffer'; data: number[] };
  equals(other: Uint8Array): boolean;
  compare(target: Uint8Array, targetStart?: number, targetEnd?: number, sourceStart?: number, sourceEnd?: number): -1 | 0 | 1;
  copy(target: Uint8Array, targetStart?: number, sourceStart?: number, sourceEnd?: number): number;
  slice(start?: number, end?: number): Buffer;
  subarray(start?: number, end?: number): Buffer;
  write(text: string, encoding?: BufferEncoding): number;
  write(text: string, offset: number, encoding?: BufferEncoding): number;
  write(text: string, offset: number, length: number, encoding?: BufferEncoding): number;
  fill(value: string | Uint8Array | number, offset?: number, end?: number, encoding?: BufferEncoding): this;
  indexOf(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): number;
  lastIndexOf(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): number;
  includes(value: string | number | Uint8Array, byteOffset?: number, encoding?: BufferEncoding): boolean;
  readUInt8(offset?: number): number;
  readUInt16BE(offset?: number): number;
  readUInt16LE(offset?: number): number;
  readUInt32BE(offset?: number): number;
  readUInt32LE(offset?: number): number;
  readInt8(offset?: number): number;
  readInt16BE(offset?: number): number;
  readInt16LE(offset?: number): number;
  readInt32BE(offset?: number): number;
  readInt32LE(offset?: number): number;
  readBigUInt64BE(offset?: number): bigint;
  readBigUInt64LE(offset?: number): bigint;
  readFloatBE(offset?: number): number;
  readFloatLE(offset?: number): number;
  readDoubleBE(offset?: number): number;
  readDoubleLE(offset?: number): number;
  writeUInt8(value: number, offset?: number): number;
  writeUInt16BE(value: number, offset?: number): number;
  writeUInt16LE(value: number, offset?: number): number;
  writeUInt32BE(value: number, offset?: number): number;
  writeUInt32LE(value: number, offset?: number): number;
  writeInt8(value: number, offset?: number): number;
  writeInt16BE(value: number, offset?: number): number;
  writeInt16LE(value: number, offset?: number): number;
  writeInt32BE(value: number, offset?: number): number;
  writeInt32LE(value: number, offset?: number): number;
  writeBigUInt64BE(value: bigint, offset?: number): number;
  writeBigUInt64LE(value: bigint, offset?: number): number;
  writeFloatBE(value: number, offset?: number): number;
  writeFloatLE(value: number, offset?: number): number;
  writeDoubleBE(value: number, offset?: number): number;
  writeDoubleLE(value: number, offset?: number): number;
}

interface BufferConstructor {
  /** Bytes of a string: UTF-8 unless `encoding` says otherwise (`Buffer.from(rawBody, 'base64')`). */
  from(text: string, encoding?: BufferEncoding): Buffer;
  /** A copy of an array of byte values, a typed array or another Buffer. */
  from(bytes: ArrayLike<number>): Buffer;
  /** A view of the same memory. */
  from(buffer: ArrayBuffer | SharedArrayBuffer, byteOffset?: number, length?: number): Buffer;
  /** `size` bytes (at most `SANDBOX_MEMORY_MB`), zeroed or filled with `fill`. */
  alloc(size: number, fill?: string | Uint8Array | number, encoding?: BufferEncoding): Buffer;
  concat(list: readonly Uint8Array[], totalLength?: number): Buffer;
  isBuffer(value: unknown): value is Buffer;
  isEncoding(encoding: string): encoding is BufferEncoding;
  byteLength(value: string | ScenarioBytes, encoding?: BufferEncoding): number;
  compare(a: Uint8Array, b: Uint8Array): -1 | 0 | 1;
  readonly prototype: Buffer;
}

declare const Buffer: BufferConstructor;

// ---------------------------------------------------------------------------------------------------
// The WHATWG classes.

interface URLSearchParams {
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  forEach(callback: (value: string, name: string, searchParams: URLSearchParams) => void): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

declare const URLSearchParams: {
  new (init?: string | Record<string, string> | Iterable<readonly [string, string]> | URLSearchParams): URLSearchParams;
  readonly prototype: URLSearchParams;
};

interface URL {
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}

declare const URL: {
  /** Throws a `TypeError` when `url` (resolved against `base`) is not a valid URL. */
  new (url: string | URL, base?: string | URL): URL;
  canParse(url: string | URL, base?: string | URL): boolean;
  readonly prototype: URL;
};

interface TextEncoder {
  readonly encoding: 'utf-8';
  /** The UTF-8 bytes of `input`. */
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare const TextEncoder: {
  new (): TextEncoder;
  readonly prototype: TextEncoder;
};

interface TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ScenarioBytes, options?: { stream?: boolean }): string;
}

declare const TextDecoder: {
  /** `label`: `'utf-8'` (the default), `'utf-16le'`, `'latin1'`… */
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
  readonly prototype: TextDecoder;
};
