import { z } from 'zod';
import { ORIGIN_PATTERN, URL_ID_PATTERN } from '@webrequests/contracts';
import { headerNameSchema, protectionCreateFields, protectionFields } from '@webrequests/protection';

export { authSchema, dedupSchema, secretNameSchema } from '@webrequests/protection';

/**
 * Request schemas of the admin API. The router validates every request with these and the OpenAPI
 * document is generated from them, so what is documented is what is enforced.
 */
export const urlIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(URL_ID_PATTERN, 'must be segments of A-Z a-z 0-9 - _ separated by "/"');

export const originSchema = z.union([
  z.literal('*'),
  z.string().regex(ORIGIN_PATTERN, 'must be an origin such as https://example.com, or "*"'),
]);

export const scenarioCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  source: z.string().max(512 * 1024).meta({ description: 'JavaScript: the body of an async function (SPEC §4); checked for syntax errors.' }),
});
export const scenarioUpdateSchema = scenarioCreateSchema.partial();

export const webrequestCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  urlId: urlIdSchema,
  scriptId: z.string().min(1).max(100),
  status: z.enum(['active', 'disabled']).optional(),
  corsOrigins: z
    .array(originSchema)
    .max(100)
    .optional()
    .meta({ description: 'Origins the ingress answers CORS for itself (preflights included); empty or absent: the scenario does CORS.' }),
  ...protectionCreateFields,
});
export const webrequestUpdateSchema = webrequestCreateSchema.partial().extend({
  secrets: protectionFields.secrets.nullable().optional(),
  auth: protectionFields.auth.nullable().optional(),
  allowIps: protectionFields.allowIps.nullable().optional(),
  dedup: protectionFields.dedup.nullable().optional(),
  timeoutMs: protectionFields.timeoutMs.nullable().optional(),
  maxConcurrent: protectionFields.maxConcurrent.nullable().optional(),
});

export const secretPutSchema = z.strictObject({
  value: z.string().min(1).max(64 * 1024).meta({ description: 'The secret value; write-only: no answer ever shows it.' }),
});

/** A request described rather than sent, for a test run and for `catalog run --request`; each part optional. */
export const describedRequestSchema = z.strictObject({
  method: z.string().regex(/^[A-Za-z]{1,20}$/, 'must be an HTTP method such as POST').optional().meta({ description: 'Default POST.' }),
  path: z.string().max(2000).regex(/^(\/[A-Za-z0-9_-]+)*\/?$/, 'must be /segments of A-Z a-z 0-9 - _').optional().meta({ description: 'Appended to the endpoint’s URL (a suffix such as /items/7).' }),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  headers: z.record(headerNameSchema, z.string().max(16 * 1024)).optional(),
  body: z.unknown().optional().meta({ description: 'A string is sent as it is (text/plain unless headers say otherwise); anything else as JSON.' }),
});

/** A test run's body: a described request, and optionally a draft source to run instead of the scenario's. */
export const testRunSchema = describedRequestSchema.extend({
  source: z.string().max(512 * 1024).optional().meta({ description: 'A draft source to run instead of the scenario’s own (checked for syntax errors first).' }),
});

export const pageQuerySchema = z.object({
  cursor: z.string().max(500).optional().meta({ description: 'The nextCursor of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(500).optional().meta({ description: 'Page size; default 50.' }),
});

export const processQuerySchema = pageQuerySchema.extend({
  status: z.enum(['queued', 'running', 'completed', 'failed', 'aborted']).optional(),
  webrequestId: z.string().max(100).optional(),
  scriptId: z.string().max(100).optional(),
  async: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only processes created at or after this time.' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only processes created before this time.' }),
  test: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only test runs (POST /webrequests/{id}/test); default: only the others.' }),
});
