import { parse as parseCookies } from 'cookie';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { Request } from 'express';
import type { ScenarioVariables, WebRequest } from '@webrequests/contracts';
import type { ParsedBody } from './parse-body';

/** Builds the variables a scenario receives from one request, with the seed's names and shapes (SPEC §3). */
export function requestVariables(req: Request, endpoint: WebRequest, isAsync: boolean, parsed: ParsedBody, origin: OriginSettings): ScenarioVariables {
  return {
    event: { id: endpoint.id, type: '$webRequest', async: isAsync },
    script: { id: endpoint.scriptId },
    user: { id: null },
    url: `${originOf(req, origin)}${req.originalUrl}`,
    method: req.method,
    headers: req.headers as Record<string, string | string[]>,
    // Strings, as the caller sent them: cookie-parser would turn a `j:{…}` value into an object, so a
    // scenario's `cookies.x` would change type at a caller's whim.
    cookies: cookiesOf(req.headers.cookie),
    query: { ...(req.query as Record<string, unknown>) },
    body: parsed.body,
    files: parsed.files,
    rawBody: parsed.rawBody,
  };
}

/** The request's cookies, each value a string (URI-decoded when it decodes), in a plain object. */
export function cookiesOf(header: string | undefined): Record<string, string> {
  if (!header) return {};
  const parsed = parseCookies(header);
  // Defined, not assigned: a cookie named `__proto__` is a cookie like any other.
  const cookies: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value !== undefined) Object.defineProperty(cookies, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return cookies;
}

/** What decides the origin of a scenario's `url`. */
export interface OriginSettings {
  /** PUBLIC_URL's origin, if set. */
  publicUrl: string | undefined;
  /** Whether TRUST_PROXY vouches for the proxy in front (then its X-Forwarded-Host/-Proto count). */
  trustProxy: boolean;
  /** The ingress's port, for a Host header that names no host of this service. */
  port: number;
}

/** Names a Host header may give that are this machine's own: its hostname, localhost, an IP literal. */
function namesThisHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || name === hostname().toLowerCase() || isIP(name) !== 0;
}

/**
 * The origin of `url`: PUBLIC_URL when set; else what the request says, when TRUST_PROXY vouches for
 * the proxy (Express then reads X-Forwarded-Proto and -Host); else the Host header only when it names
 * this machine (localhost, an address, the hostname), and `http://localhost:<PORT>` otherwise, so that
 * a caller cannot make a scenario's links point at a host of its choosing.
 */
export function originOf(req: Request, settings: OriginSettings): string {
  if (settings.publicUrl) return settings.publicUrl;
  const host = req.get('host') ?? '';
  if (settings.trustProxy && host) return `${req.protocol}://${req.host}`;
  if (host && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) && namesThisHost(host)) return `${req.protocol}://${host}`;
  return `${req.protocol}://localhost:${req.socket.localPort ?? settings.port}`;
}
