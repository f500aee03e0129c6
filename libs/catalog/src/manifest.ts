import { z } from 'zod';

/** `webrequests.json` of a catalog folder: the endpoints, each naming a scenario file (without `.js`). */
export const manifestSchema = z.strictObject({
  webrequests: z.array(
    z.strictObject({
      urlId: z.string().min(1).max(200),
      name: z.string().min(1).max(200),
      description: z.string().max(2000).optional(),
      scenario: z.string().min(1),
      status: z.enum(['active', 'disabled']).optional(),
      corsOrigins: z.array(z.string()).optional(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;
