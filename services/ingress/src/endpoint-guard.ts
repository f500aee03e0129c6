import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError, type PassedAuth, type WebRequest } from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import { ipAllowList, verifyAuth, type SecretCache } from '@webrequests/protection';
import type { IngressMetrics } from './ingress-metrics';
import { storeCall } from './process-intake';
import { contextOf } from './request-context';

/** Challenges a 401 carries, by auth type: a browser asks for Basic credentials, an API client learns the scheme. */
const CHALLENGES: Partial<Record<PassedAuth['type'], string>> = {
  basic: 'Basic realm="webrequests", charset="UTF-8"',
  bearer: 'Bearer realm="webrequests"',
};

/** An endpoint's compiled `allowIps`, kept while the endpoint is unchanged. */
interface AllowList {
  updatedAt: string;
  allows: (address: string) => boolean;
}

/**
 * The checks of SPEC §10 that refuse a request before it becomes a process: `allowIps` (403), then
 * `auth` (401), over the raw body bytes before anything is parsed. Secrets come from the ingress's
 * {@link SecretCache}, so a verified request reads no store. A refusal is counted and logged with its
 * reason, never with a secret or a signature.
 */
export class EndpointGuard {
  private readonly allowLists = new Map<string, AllowList>();
  private readonly log: Logger;

  constructor(
    private readonly secrets: SecretCache,
    private readonly metrics: IngressMetrics,
    logger: Logger,
  ) {
    this.log = logger.child({ module: 'guard' });
  }

  /** What passed (for `event.auth`), or undefined for an endpoint with no `auth`; throws 401/403. */
  async check(endpoint: WebRequest, req: Request, rawBody: Buffer): Promise<PassedAuth | undefined> {
    if (endpoint.allowIps && endpoint.allowIps.length > 0) {
      const address = req.ip ?? '';
      if (!this.allowListOf(endpoint).allows(address)) {
        this.refuse(endpoint, req, 'ip_not_allowed', `the caller's address ${address} is not in allowIps`);
        throw new ForbiddenError('this endpoint does not accept requests from your address');
      }
    }
    const auth = endpoint.auth;
    if (!auth || auth.type === 'none') return auth ? { type: 'none' } : undefined;
    const verdict = verifyAuth(auth, { headers: req.headers, rawBody }, await storeCall(() => this.secrets.value(auth.secret)));
    if (!verdict.ok) {
      this.refuse(endpoint, req, verdict.reason, verdict.message);
      const error = new UnauthorizedError(verdict.reason === 'secret_missing' ? 'this endpoint cannot verify requests yet' : verdict.message);
      const challenge = CHALLENGES[auth.type];
      if (challenge) error.headers['WWW-Authenticate'] = challenge;
      throw error;
    }
    return auth.type === 'hmac' ? { type: 'hmac', preset: auth.preset } : { type: auth.type };
  }

  private refuse(endpoint: WebRequest, req: Request, reason: string, message: string): void {
    this.metrics.refused(endpoint.urlId, reason);
    // The request id ties the refusal to the caller's 401/403 (it carries the same X-Request-Id).
    const requestId = req.res ? contextOf(req.res).requestId : undefined;
    this.log.warn('request refused', { requestId, urlId: endpoint.urlId, webrequestId: endpoint.id, reason, detail: message });
  }

  private allowListOf(endpoint: WebRequest): AllowList {
    const known = this.allowLists.get(endpoint.id);
    if (known && known.updatedAt === endpoint.updatedAt) return known;
    const compiled = { updatedAt: endpoint.updatedAt, allows: ipAllowList(endpoint.allowIps ?? []) };
    this.allowLists.set(endpoint.id, compiled);
    return compiled;
  }
}
