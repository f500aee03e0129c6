import { createHash } from 'node:crypto';
import { assertNever, type EndpointAuth, type EndpointDedup, type HmacPreset } from '@webrequests/contracts';
import { findHeader, type RequestHeaders } from './request-headers';

/** What a de-duplication key can be read from: the request as the ingress parsed it. */
export interface DedupSources {
  headers: RequestHeaders;
  query: Record<string, unknown>;
  body: unknown;
}

/** The delivery id each provider sends with every attempt of one delivery (Slack sends none). */
const PRESET_KEY_SOURCES: Partial<Record<HmacPreset, string>> = {
  github: 'header:X-GitHub-Delivery',
  stripe: 'body:id',
  shopify: 'header:X-Shopify-Webhook-Id',
  'standard-webhooks': 'header:webhook-id',
};

/** Svix sends the Standard Webhooks delivery id under its own name, as it does the signature. */
const HEADER_FALLBACKS: ReadonlyMap<string, string> = new Map([['webhook-id', 'svix-id']]);

/** Longer keys are hashed, so that a sender cannot make Redis hold kilobytes per delivery. */
const MAX_KEY_LENGTH = 512;
const MAX_SOURCE_LENGTH = 256;

/** RFC 9110's `token`: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Path segments that lead into an object's prototype machinery rather than its data. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

type KeySource = { kind: 'header' | 'query'; name: string } | { kind: 'body'; path: string[] };

/**
 * Where an endpoint's de-duplication key comes from: `dedup.key`, else the default of its `hmac`
 * preset (GitHub `header:X-GitHub-Delivery`, Shopify `header:X-Shopify-Webhook-Id`, Standard Webhooks
 * `header:webhook-id` — read from `svix-id` when a Svix delivery carries only that —, Stripe
 * `body:id`); `null` when neither names one.
 */
export function dedupKeySource(dedup: EndpointDedup, auth?: EndpointAuth): string | null {
  return dedup.key ?? (auth?.type === 'hmac' ? PRESET_KEY_SOURCES[auth.preset] : undefined) ?? null;
}

/** Whether `text` is a key source: `header:<name>`, `query:<name>` or `body:<dot.path>` (no `__proto__`, `prototype`, `constructor`). */
export function isValidDedupKeySource(text: string): boolean {
  return parseSource(text) !== null;
}

/**
 * A delivery's key, or `null` when the request does not carry one (it is then not de-duplicated).
 * Header names match in any case; a header or query parameter sent more than once has no key, being
 * ambiguous. A body path walks own properties only, never the prototype chain. The value must be a
 * non-empty string or a number or boolean (written as text): an object or array is no id, and
 * hashing its JSON would make the key depend on property order. Keys over 512 characters become
 * `sha256:<hex>`. Throws for a source `isValidDedupKeySource` refuses.
 */
export function dedupKeyOf(source: string, request: DedupSources): string | null {
  const parsed = parseSource(source);
  if (!parsed) throw new Error(`"${source}" is not a de-duplication key source (header:<name>, query:<name> or body:<dot.path>)`);
  const key = keyText(valueAt(parsed, request));
  if (key === null || key.length <= MAX_KEY_LENGTH) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function valueAt(source: KeySource, request: DedupSources): unknown {
  switch (source.kind) {
    case 'header': {
      const fallback = HEADER_FALLBACKS.get(source.name.toLowerCase());
      const value = findHeader(request.headers, source.name);
      return value === undefined && fallback !== undefined ? findHeader(request.headers, fallback) : value;
    }
    case 'query':
      return Object.hasOwn(request.query, source.name) ? request.query[source.name] : undefined;
    case 'body':
      return source.path.reduce<unknown>((value, segment) => (isObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined), request.body);
    default:
      return assertNever(source);
  }
}

function keyText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseSource(text: string): KeySource | null {
  const colon = text.indexOf(':');
  const name = text.slice(colon + 1);
  if (colon < 0 || name === '' || text.length > MAX_SOURCE_LENGTH) return null;
  const kind = text.slice(0, colon);
  switch (kind) {
    case 'header':
      return HEADER_NAME.test(name) ? { kind, name } : null;
    case 'query':
      return { kind, name };
    case 'body': {
      const path = name.split('.');
      return path.every((segment) => segment !== '' && !FORBIDDEN_SEGMENTS.has(segment)) ? { kind, path } : null;
    }
    default:
      return null;
  }
}

/**
 * Why an endpoint's `dedup` cannot work, or null: with no `key` and no auth preset that names a
 * delivery id, it would never de-duplicate anything.
 */
export function dedupProblem(endpoint: { dedup?: EndpointDedup | null; auth?: EndpointAuth | null }): string | null {
  if (!endpoint.dedup || dedupKeySource(endpoint.dedup, endpoint.auth ?? undefined) !== null) return null;
  return `required unless auth is an hmac preset with a delivery id (${Object.keys(PRESET_KEY_SOURCES).join(', ')})`;
}
