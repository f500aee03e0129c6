import type { Request } from 'express';
import type { ScenarioVariables, WebRequest } from '@webrequests/contracts';
import type { ParsedBody } from './parse-body';

/** Builds the variables a scenario receives from one request, with the seed's names and shapes (SPEC §3). */
export function requestVariables(req: Request, endpoint: WebRequest, isAsync: boolean, parsed: ParsedBody): ScenarioVariables {
  return {
    event: { id: endpoint.id, type: '$webRequest', async: isAsync },
    script: { id: endpoint.scriptId },
    user: { id: null },
    url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`,
    method: req.method,
    headers: req.headers as Record<string, string | string[]>,
    cookies: { ...((req.cookies as Record<string, string> | undefined) ?? {}) },
    query: { ...(req.query as Record<string, unknown>) },
    body: parsed.body,
    files: parsed.files,
    rawBody: parsed.rawBody,
  };
}
