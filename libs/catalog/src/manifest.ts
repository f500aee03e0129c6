import { z } from 'zod';
import { ORIGIN_PATTERN, URL_ID_PATTERN } from '@webrequests/contracts';
import { protectionCreateFields, secretNameSchema } from '@webrequests/protection';

/**
 * `webrequests.json` of a catalog folder: the secrets its endpoints need (by name: values are set with
 * `catalog secret set`, never kept in files), and the endpoints, each naming a scenario file (without
 * `.js`) and its protection (SPEC §10).
 */
export const manifestSchema = z.strictObject({
  secrets: z
    .array(z.strictObject({ name: secretNameSchema, description: z.string().max(2000).optional() }))
    .optional(),
  webrequests: z.array(
    z.strictObject({
      urlId: z.string().min(1).max(200).regex(URL_ID_PATTERN, 'must be segments of A-Z a-z 0-9 - _ separated by "/"'),
      name: z.string().min(1).max(200),
      description: z.string().max(2000).optional(),
      scenario: z.string().min(1),
      status: z.enum(['active', 'disabled']).optional(),
      corsOrigins: z.array(z.union([z.literal('*'), z.string().regex(ORIGIN_PATTERN, 'must be an origin such as https://example.com, or "*"')])).optional(),
      ...protectionCreateFields,
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;
