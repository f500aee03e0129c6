import qs from 'qs';
import type { z } from 'zod';
import type { Config } from '@webrequests/config';
import type { ScenarioVariables, WebRequest } from '@webrequests/contracts';
import { describedRequestSchema } from './admin/schemas';
import { validate } from './admin/validate';
import { parseBody } from './parse-body';
import { cookiesOf } from './request-variables';

/**
 * A request described rather than sent (`{ method?, path?, query?, headers?, body? }`): the body of a
 * test run (`POST /webrequests/{id}/test`) and the file of `npm run catalog -- run --request`.
 */
export type DescribedRequest = z.output<typeof describedRequestSchema>;

/** Checks a described request; throws a ValidationError naming the first offending field (`method: must be …`). */
export function parseDescribedRequest(input: unknown): DescribedRequest {
  return validate(describedRequestSchema, input);
}

/** The body bytes a described request sends, and the content type it implies. */
function bodyOf(body: unknown): { bytes: Buffer; contentType: string | null } {
  if (body === undefined) return { bytes: Buffer.alloc(0), contentType: null };
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

/**
 * The variables a real request as described would give the endpoint's scenario (SPEC §3), synchronous:
 * method POST unless it says otherwise; a string body is text/plain and anything else JSON, unless its
 * headers name a content type; `url` starts with PUBLIC_URL, else `http://localhost:<PORT>`. A body
 * that does not parse as its content type throws InvalidBodyError, as it would for a caller.
 */
export async function describedRequestVariables(
  request: DescribedRequest,
  endpoint: Pick<WebRequest, 'id' | 'scriptId' | 'urlId'>,
  http: Pick<Config['http'], 'publicUrl' | 'port'>,
): Promise<ScenarioVariables> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  const { bytes, contentType } = bodyOf(request.body);
  if (contentType && !headers['content-type']) headers['content-type'] = contentType;
  const parsed = await parseBody(bytes, headers);
  const search = qs.stringify(request.query ?? {}, { arrayFormat: 'repeat' });
  const origin = http.publicUrl ?? `http://localhost:${http.port}`;
  return {
    event: { id: endpoint.id, type: '$webRequest', async: false },
    script: { id: endpoint.scriptId },
    user: { id: null },
    url: `${origin}/api/webrequest/${endpoint.urlId}${(request.path ?? '').replace(/\/$/, '')}${search ? `?${search}` : ''}`,
    method: (request.method ?? 'POST').toUpperCase(),
    headers,
    cookies: cookiesOf(headers.cookie),
    query: qs.parse(search, { depth: 5 }) as Record<string, unknown>,
    body: parsed.body,
    files: parsed.files,
    rawBody: parsed.rawBody,
  };
}
