import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminApiDocument, apiReferenceMarkdown } from '@webrequests/ingress';

/** Where the generated admin API reference lives. */
export const API_REFERENCE = join(__dirname, '..', '..', '..', 'docs', 'api.md');

/** `npm run docs:api`: writes docs/api.md from the OpenAPI document the admin API serves. */
if (require.main === module) {
  const version = (require('../../ingress/package.json') as { version: string }).version;
  writeFileSync(API_REFERENCE, apiReferenceMarkdown(adminApiDocument(version)));
  console.log(`wrote ${API_REFERENCE}`);
}
