import { z } from 'zod';
import { ORIGIN_PATTERN, URL_ID_PATTERN } from '@webrequests/contracts';

/** `webrequests.json` of a catalog folder: the endpoints, each naming a scenario file (without `.js`). */
export const manifestSchema = z.strictObject({
  webrequests: z.array(
    z.strictObject({
      urlId: z.string().min(1).max(200).regex(URL_ID_PATTERN, 'must be segments of A-Z a-z 0-9 - _ separated by "/"'),
      name: z.string().min(1).max(200),
      description: z.string().max(2000).optional(),
      scenario: z.string().min(1),
      status: z.enum(['active', 'disabled']).optional(),
      corsOrigins: z.array(z.union([z.literal('*'), z.string().regex(ORIGIN_PATTERN, 'must be an origin such as https://example.com, or "*"')])).optional(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;
