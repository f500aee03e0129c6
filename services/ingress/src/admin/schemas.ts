import { z } from 'zod';
import { ORIGIN_PATTERN, URL_ID_PATTERN } from '@webrequests/contracts';

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
});
export const webrequestUpdateSchema = webrequestCreateSchema.partial();

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
});
