import { readFileSync } from 'node:fs';
import { adminApiDocument, apiReferenceMarkdown } from '@webrequests/ingress';
import { API_REFERENCE } from '../src/api-reference-cli';

/** docs/api.md is generated from the OpenAPI document the admin API serves: it must be what the document says now. */
it('docs/api.md is the reference the current OpenAPI document makes (run npm run docs:api after changing the API)', () => {
  const version = (require('../../ingress/package.json') as { version: string }).version;
  const generated = apiReferenceMarkdown(adminApiDocument(version));
  expect(readFileSync(API_REFERENCE, 'utf8')).toBe(generated);
  // Every operation is in it, by method and path.
  const paths = (adminApiDocument(version).paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, methods] of Object.entries(paths)) for (const method of Object.keys(methods)) expect(generated).toContain(`## ${method.toUpperCase()} ${path}\n`);
});
