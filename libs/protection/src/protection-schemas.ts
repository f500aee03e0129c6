import { z } from 'zod';
import { HMAC_ALGORITHMS, SECRET_NAME_PATTERN } from '@webrequests/contracts';
import { isValidCidr } from './allow-ips';
import { isValidDedupKeySource } from './dedup-key';

/*
 * The schemas of an endpoint's protection fields (SPEC §10), shared by the admin API (which also
 * documents them in its OpenAPI document) and the catalog folder's manifest.
 */

export const secretNameSchema = z
  .string()
  .regex(SECRET_NAME_PATTERN, 'must be 1-100 characters of A-Z a-z 0-9 _ . - (not starting with . or -)')
  .meta({ description: 'The name of a secret of the secrets catalog (never its value).' });

export const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name');

const hmacAuthSchema = z.discriminatedUnion('preset', [
  z.strictObject({
    type: z.literal('hmac'),
    preset: z.enum(['github', 'stripe', 'slack', 'shopify', 'standard-webhooks']),
    secret: secretNameSchema,
    toleranceSeconds: z.number().int().min(1).max(86_400).optional().meta({ description: 'How old a signed timestamp may be (stripe, slack, standard-webhooks); default 300.' }),
  }),
  z.strictObject({
    type: z.literal('hmac'),
    preset: z.literal('custom'),
    secret: secretNameSchema,
    header: headerNameSchema.meta({ description: 'The header carrying the signature of the raw body.' }),
    algorithm: z.enum(HMAC_ALGORITHMS),
    encoding: z.enum(['hex', 'base64']),
    prefix: z.string().max(100).optional().meta({ description: 'Text before the signature in the header, e.g. sha256=' }),
  }),
]);

export const authSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({ type: z.literal('bearer'), secret: secretNameSchema }),
    z.strictObject({ type: z.literal('header'), header: headerNameSchema, secret: secretNameSchema }),
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(200).regex(/^[^:]*$/, 'must not contain ":"'), secret: secretNameSchema }),
    hmacAuthSchema,
  ])
  .meta({ description: 'What a caller must send (SPEC §10); checked before any process exists: 401 otherwise.' });

export const dedupSchema = z
  .strictObject({
    key: z
      .string()
      .refine(isValidDedupKeySource, 'must be header:<name>, query:<name> or body:<dot.path>')
      .optional()
      .meta({ description: "Where the delivery's key is; default the auth preset's delivery id (github, stripe, shopify, standard-webhooks)." }),
    windowSeconds: z.number().int().min(1).max(30 * 86_400),
  })
  .meta({ description: 'A delivery whose key was seen within the window starts no process: it gets the first one’s answer, with Idempotent-Replayed: true.' });

/** The protection fields of an endpoint (SPEC §10); in an update, null removes one. */
export const protectionFields = {
  secrets: z.array(secretNameSchema).max(50).meta({ description: 'Secrets the scenario reads as secrets.NAME.' }),
  auth: authSchema,
  allowIps: z
    .array(z.string().refine(isValidCidr, 'must be an IPv4 or IPv6 address or CIDR range'))
    .max(200)
    .meta({ description: "CIDR ranges the caller's address (as TRUST_PROXY defines it) must be in; 403 otherwise." }),
  dedup: dedupSchema,
  timeoutMs: z.number().int().min(100).max(3_600_000).meta({ description: 'This endpoint’s sync deadline (milliseconds); SYNC_TIMEOUT_MS caps it.' }),
  maxConcurrent: z.number().int().min(1).max(1_000_000).meta({ description: 'Processes of this endpoint queued or running at once, across every ingress; over it: 429.' }),
};


/** The protection fields as a create (or a manifest entry) takes them: each optional. */
export const protectionCreateFields = {
  secrets: protectionFields.secrets.optional(),
  auth: protectionFields.auth.optional(),
  allowIps: protectionFields.allowIps.optional(),
  dedup: protectionFields.dedup.optional(),
  timeoutMs: protectionFields.timeoutMs.optional(),
  maxConcurrent: protectionFields.maxConcurrent.optional(),
};
