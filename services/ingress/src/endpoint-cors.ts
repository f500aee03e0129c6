import type { Request, Response } from 'express';
import type { WebRequest } from '@webrequests/contracts';

/** Methods a preflight is told the endpoint accepts: all of them, as the endpoint takes any method. */
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** How long a browser may cache a preflight's answer (seconds); browsers cap it lower (Chrome: 2 h). */
const MAX_AGE_SECONDS = '600';
/** Headers of our own a page's script may read: the process id of an async answer, the request id. */
const EXPOSED_HEADERS = 'X-Process-Id, X-Request-Id';

/** True when the endpoint lists origins, so the ingress answers CORS for it (SPEC §3). */
export function ingressHandlesCors(endpoint: WebRequest): boolean {
  return (endpoint.corsOrigins?.length ?? 0) > 0;
}

/** A CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. Any other OPTIONS is a request. */
export function isPreflight(req: Request): boolean {
  return req.method === 'OPTIONS' && req.get('origin') !== undefined && req.get('access-control-request-method') !== undefined;
}

/** The value of `Access-Control-Allow-Origin` for this request's origin, or null when it is not allowed. */
function allowedOrigin(endpoint: WebRequest, origin: string | undefined): string | null {
  const origins = endpoint.corsOrigins ?? [];
  if (origin !== undefined && origins.includes(origin)) return origin;
  return origins.includes('*') ? '*' : null;
}

/**
 * Sets the CORS headers of an endpoint that lists origins on `res`, before anything is answered, so
 * sync, async and error answers all carry them; a scenario's own `$headers` are set later and win.
 * An origin not listed gets no `Access-Control-Allow-*` header, so the browser withholds the answer.
 */
export function applyCorsHeaders(endpoint: WebRequest, req: Request, res: Response): void {
  // The answer differs by Origin whenever specific origins are listed: caches must key on it.
  if (endpoint.corsOrigins!.some((origin) => origin !== '*')) res.vary('Origin');
  const allowed = allowedOrigin(endpoint, req.get('origin'));
  if (allowed === null) return;
  res.set('Access-Control-Allow-Origin', allowed);
  res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/** Answers a preflight for an endpoint that lists origins: 204, allowed or not, without running the scenario. */
export function answerPreflight(endpoint: WebRequest, req: Request, res: Response): void {
  if (allowedOrigin(endpoint, req.get('origin')) !== null) {
    res.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    const requested = req.get('access-control-request-headers');
    if (requested) {
      res.set('Access-Control-Allow-Headers', requested);
      res.vary('Access-Control-Request-Headers');
    }
    res.set('Access-Control-Max-Age', MAX_AGE_SECONDS);
  }
  res.status(204).end();
}
