import { createHmac } from 'node:crypto';
import { assertNever, type EndpointAuth, type HmacAlgorithm } from '@webrequests/contracts';
import { checked, PASSED, reject, requiredHeader, type AuthVerdict, type Checked, type InboundRequest } from './auth-verdict';
import { findHeader } from './request-headers';
import { decodeDigest, sameBytes } from './signature-bytes';

type HmacAuth = Extract<EndpointAuth, { type: 'hmac' }>;

/** A scheme that signs the raw body alone, with one signature in one header (GitHub, Shopify, `custom`). */
interface BodySignatureScheme {
  header: string;
  algorithm: HmacAlgorithm;
  encoding: 'hex' | 'base64';
  prefix?: string;
}

const BODY_SIGNATURE_PRESETS = {
  github: { header: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
  shopify: { header: 'X-Shopify-Hmac-Sha256', algorithm: 'sha256', encoding: 'base64' },
} as const satisfies Record<string, BodySignatureScheme>;

/** Svix is Standard Webhooks under its own header names. */
const STANDARD_WEBHOOKS_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' };
const SVIX_HEADERS = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' };

const DEFAULT_TOLERANCE_SECONDS = 300;

/** What a preset reads from a request: the bytes the sender signed, and the signatures it offers. */
interface SignedDelivery {
  /** The header the signatures came in, for messages. */
  header: string;
  algorithm: HmacAlgorithm;
  key: Buffer | string;
  content: Buffer;
  /** Decoded, well-formed signatures; any one may match (senders offer several while they rotate secrets). */
  offered: Buffer[];
  /** The signed Unix time in seconds, for the schemes that sign one. */
  timestampSeconds?: number;
}

/**
 * Checks an `hmac` endpoint's signature over the raw body. The signature is checked before the
 * timestamp, so `stale_timestamp` means an authentic delivery that is late (a replay, or a sender's
 * clock that is off) rather than anything at all with an old date on it.
 */
export function verifyHmac(auth: HmacAuth, request: InboundRequest, secret: string, nowMs: number): AuthVerdict {
  const read = readDelivery(auth, request, secret);
  if (!read.ok) return read;
  const { header, algorithm, key, content, offered, timestampSeconds } = read.value;
  const expected = createHmac(algorithm, key).update(content).digest();
  if (!offered.some((signature) => sameBytes(signature, expected))) {
    return reject('bad_signature', `the signature in ${header} does not match the body (another secret, or a body changed on the way)`);
  }
  if (timestampSeconds === undefined) return PASSED;
  const toleranceSeconds = ('toleranceSeconds' in auth ? auth.toleranceSeconds : undefined) ?? DEFAULT_TOLERANCE_SECONDS;
  return checkFreshness(timestampSeconds, toleranceSeconds, nowMs);
}

function readDelivery(auth: HmacAuth, request: InboundRequest, secret: string): Checked<SignedDelivery> {
  switch (auth.preset) {
    case 'github':
    case 'shopify':
      return readBodySignature(BODY_SIGNATURE_PRESETS[auth.preset], request, secret);
    case 'custom':
      return readBodySignature(auth, request, secret);
    case 'stripe':
      return readStripe(request, secret);
    case 'slack':
      return readSlack(request, secret);
    case 'standard-webhooks':
      return readStandardWebhooks(request, secret);
    default:
      return assertNever(auth);
  }
}

function readBodySignature(scheme: BodySignatureScheme, request: InboundRequest, secret: string): Checked<SignedDelivery> {
  const { header, algorithm, encoding, prefix = '' } = scheme;
  const value = requiredHeader(request, header, 'malformed_signature');
  if (!value.ok) return value;
  if (!value.value.startsWith(prefix)) return reject('malformed_signature', `${header} does not start with "${prefix}"`);
  const signature = decodeDigest(value.value.slice(prefix.length), encoding, algorithm);
  if (!signature) return reject('malformed_signature', `${header} is not ${prefix}<${encoding} ${algorithm} HMAC>`);
  return checked({ header, algorithm, key: secret, content: request.rawBody, offered: [signature] });
}

/** `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=…][,v0=…]` over `<t>.<body>`, keyed by the `whsec_…` text as is. */
function readStripe(request: InboundRequest, secret: string): Checked<SignedDelivery> {
  const header = 'Stripe-Signature';
  const value = requiredHeader(request, header, 'malformed_signature');
  if (!value.ok) return value;
  let timestamp: string | undefined;
  const offered: Buffer[] = [];
  // Split as Stripe's library does: no trimming, the last `t` wins, schemes other than v1 are ignored.
  for (const item of value.value.split(',')) {
    const [name, text = ''] = splitOnce(item, '=');
    if (name === 't') timestamp = text;
    const signature = name === 'v1' ? decodeDigest(text, 'hex', 'sha256') : null;
    if (signature) offered.push(signature);
  }
  const seconds = timestamp === undefined ? null : unixSeconds(timestamp);
  if (seconds === null || offered.length === 0) return reject('malformed_signature', `${header} is not t=<unix seconds>,v1=<hex signature>`);
  return checked({ header, algorithm: 'sha256', key: secret, content: signedWith(`${seconds}.`, request), offered, timestampSeconds: seconds });
}

/** `X-Slack-Signature: v0=<hex>` over `v0:<X-Slack-Request-Timestamp>:<body>`. */
function readSlack(request: InboundRequest, secret: string): Checked<SignedDelivery> {
  const header = 'X-Slack-Signature';
  const value = requiredHeader(request, header, 'malformed_signature');
  if (!value.ok) return value;
  const timestamp = readTimestamp(request, 'X-Slack-Request-Timestamp');
  if (!timestamp.ok) return timestamp;
  const signature = value.value.startsWith('v0=') ? decodeDigest(value.value.slice(3), 'hex', 'sha256') : null;
  if (!signature) return reject('malformed_signature', `${header} is not v0=<hex signature>`);
  const content = signedWith(`v0:${timestamp.value}:`, request);
  return checked({ header, algorithm: 'sha256', key: secret, content, offered: [signature], timestampSeconds: timestamp.value });
}

/**
 * Standard Webhooks (and Svix, whose `svix-*` names are read when no `webhook-*` header came):
 * `webhook-signature: v1,<base64> [v1,<base64> …]` over `<id>.<timestamp>.<body>`.
 */
function readStandardWebhooks(request: InboundRequest, secret: string): Checked<SignedDelivery> {
  const key = standardWebhooksKey(secret);
  if (key.length === 0) return reject('secret_missing', 'the endpoint\'s secret is empty after its "whsec_" prefix');
  const names = carriesAny(request, STANDARD_WEBHOOKS_HEADERS) || !carriesAny(request, SVIX_HEADERS) ? STANDARD_WEBHOOKS_HEADERS : SVIX_HEADERS;
  const value = requiredHeader(request, names.signature, 'malformed_signature');
  if (!value.ok) return value;
  const id = requiredHeader(request, names.id, 'malformed_signature');
  if (!id.ok) return id;
  const timestamp = readTimestamp(request, names.timestamp);
  if (!timestamp.ok) return timestamp;
  const offered = value.value
    .split(' ')
    .map((versioned) => splitOnce(versioned, ','))
    .flatMap(([version, text = '']) => (version === 'v1' ? [decodeDigest(text, 'base64', 'sha256')] : []))
    .filter((signature) => signature !== null);
  if (offered.length === 0) return reject('malformed_signature', `${names.signature} holds no v1,<base64 signature>`);
  const content = signedWith(`${id.value}.${timestamp.value}.`, request);
  return checked({ header: names.signature, algorithm: 'sha256', key, content, offered, timestampSeconds: timestamp.value });
}

function carriesAny(request: InboundRequest, names: Record<string, string>): boolean {
  return Object.values(names).some((name) => findHeader(request.headers, name) !== undefined);
}

/**
 * The HMAC key of a Standard Webhooks secret, as the `standardwebhooks` library derives it: the base64
 * after a `whsec_` prefix, decoded. Where that library would throw (not its base64: fewer than 4
 * characters, other characters, more than two `=`), the secret's UTF-8 bytes, which is what the
 * library's `{ format: 'raw' }` signs with for an ASCII secret.
 */
function standardWebhooksKey(secret: string): Buffer {
  const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  // Node decodes exactly what @stablelib/base64 decodes for every text this accepts.
  return base64.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? Buffer.from(base64, 'base64') : Buffer.from(base64, 'utf8');
}

function readTimestamp(request: InboundRequest, name: string): Checked<number> {
  const text = requiredHeader(request, name, 'malformed_signature');
  if (!text.ok) return text;
  const seconds = unixSeconds(text.value);
  return seconds === null ? reject('malformed_signature', `${name} is not a Unix time in seconds`) : checked(seconds);
}

/**
 * A Unix time written canonically (no sign, no leading zero): the libraries sign the number they
 * parsed, so only a canonical text is the same bytes as what they signed.
 */
function unixSeconds(text: string): number | null {
  return /^(0|[1-9][0-9]{0,11})$/.test(text) ? Number(text) : null;
}

function checkFreshness(timestampSeconds: number, toleranceSeconds: number, nowMs: number): AuthVerdict {
  const age = Math.floor(nowMs / 1000) - timestampSeconds;
  if (age > toleranceSeconds) return reject('stale_timestamp', `the timestamp is ${age} s old; at most ${toleranceSeconds} s is accepted`);
  if (-age > toleranceSeconds) return reject('stale_timestamp', `the timestamp is ${-age} s in the future; at most ${toleranceSeconds} s is accepted`);
  return PASSED;
}

function signedWith(before: string, request: InboundRequest): Buffer {
  return Buffer.concat([Buffer.from(before, 'utf8'), request.rawBody]);
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}
