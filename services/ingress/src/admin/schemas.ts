import { z } from 'zod';

/** Request schemas of the admin API; they validate requests and (later) describe the API. */
export const urlIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'must be segments of A-Z a-z 0-9 - _ separated by "/"');

const origin = z.union([
  z.literal('*'),
  z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be an origin such as https://example.com, or "*"'),
]);

export const scenarioCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  source: z.string().max(512 * 1024),
});
export const scenarioUpdateSchema = scenarioCreateSchema.partial();

export const webrequestCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  urlId: urlIdSchema,
  scriptId: z.string().min(1).max(100),
  status: z.enum(['active', 'disabled']).optional(),
  corsOrigins: z.array(origin).max(100).optional(),
});
export const webrequestUpdateSchema = webrequestCreateSchema.partial();

export const pageQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const processQuerySchema = pageQuerySchema.extend({
  status: z.enum(['queued', 'running', 'completed', 'failed', 'aborted']).optional(),
  webrequestId: z.string().max(100).optional(),
  scriptId: z.string().max(100).optional(),
  async: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
