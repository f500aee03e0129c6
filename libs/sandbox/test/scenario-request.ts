import { createHash } from 'node:crypto';
import type { ScenarioVariables } from '@webrequests/contracts';
import type { SandboxRequest } from '@webrequests/sandbox';

/** Variables as the ingress builds them for `POST /api/webrequest/orders?page=2&filter[status]=new`. */
export const variables: ScenarioVariables = {
  event: { id: 'wr-1', type: '$webRequest', async: false },
  script: { id: 'sc-1' },
  user: { id: null },
  url: 'http://localhost:8080/api/webrequest/orders?page=2&filter[status]=new',
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=abc' },
  cookies: { session: 's-1' },
  query: { page: '2', filter: { status: 'new' } },
  body: { order: { id: 42, items: [{ sku: 'A-1', qty: 2 }] } },
  files: [{ field: 'doc', filename: 'a.txt', contentType: 'text/plain', size: 2, base64: 'aGk=' }],
  rawBody: '{"order":{"id":42,"items":[{"sku":"A-1","qty":2}]}}',
};

/**
 * A run of `source`, due in `timeoutMs`. The version is a hash of the source, as the scenario's
 * `updatedAt` would be, so two different sources never share a compiled script.
 */
export function request(source: string, overrides: Partial<SandboxRequest> & { timeoutMs?: number } = {}): SandboxRequest {
  const { timeoutMs = 5000, ...rest } = overrides;
  return {
    scriptId: 'scenario',
    scriptVersion: createHash('sha1').update(source).digest('hex'),
    source,
    variables,
    deadline: Date.now() + timeoutMs,
    ...rest,
  };
}
