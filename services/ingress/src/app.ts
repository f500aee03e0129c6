import express, { type Express } from 'express';
import { NotFoundError } from '@webrequests/contracts';
import type { Config } from '@webrequests/config';
import type { Logger } from '@webrequests/logger';
import type { ResultChannel, WebrequestQueue } from '@webrequests/queue';
import type { Store } from '@webrequests/store';
import { adminAuth } from './admin/admin-auth';
import { adminRouter, type AdminDeps } from './admin/admin-router';
import { DASHBOARD_PATH, dashboardRouter } from './admin/dashboard';
import { errorHandler } from './error-handler';
import { IngressMetrics } from './ingress-metrics';
import { requestContext } from './request-context';
import { requestLog } from './request-log';
import { webrequestHandler } from './webrequest-handler';

/** Everything the ingress app is built from; `main.ts` builds the real ones, tests hand in their own. */
export interface IngressDeps {
  config: Config;
  store: Store;
  queue: WebrequestQueue;
  results: ResultChannel;
  logger: Logger;
  checkSyntax: AdminDeps['checkSyntax'];
  abortProcess: AdminDeps['abortProcess'];
  /** Default: through `queue` ({@link WebrequestQueue.withdraw}), telling a waiting caller the process was deleted. */
  withdrawProcess?: AdminDeps['withdrawProcess'];
  /** Resolves when Redis answers a PING; rejects otherwise. */
  pingRedis: () => Promise<unknown>;
  /** True once a shutdown began: `/readyz` answers 503 and answers ask clients to close their connections. */
  isDraining?: () => boolean;
  /** How long deleting a running process waits for its stop to be recorded (milliseconds); default 5000. */
  stopWaitMs?: number;
}

/**
 * Builds the ingress Express app without listening: the public endpoint, the admin API and the Bull
 * dashboard (both only with an admin token), health checks and Prometheus metrics.
 */
export function createIngressApp(deps: IngressDeps): Express {
  const { config, logger } = deps;
  const metrics = new IngressMetrics(deps.queue.queue);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  app.set('query parser', 'extended');
  app.use(requestContext);
  if (config.http.logRequests) app.use(requestLog(logger.child({ module: 'http' })));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use((_req, res, next) => {
    // Shutting down: no connection is kept for another request, so none is cut when the listener closes.
    if (deps.isDraining?.()) res.set('Connection', 'close');
    next();
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([deps.pingRedis(), deps.store.ping()]);
    const [redis, store] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'down'));
    if (deps.isDraining?.()) return void res.status(503).json({ redis, store, draining: true });
    res.status(redis === 'ok' && store === 'ok' ? 200 : 503).json({ redis, store });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use('/api/webrequest', metrics.observeRequests, webrequestHandler(deps));
  if (config.admin.token) {
    const withdrawProcess =
      deps.withdrawProcess ?? ((processId: string) => deps.queue.withdraw(processId, { code: 'aborted', message: 'the process was deleted before it started' }));
    app.use('/api/admin', adminAuth(config.admin.token), adminRouter({ ...deps, withdrawProcess }));
    // Basic, so that a browser asks for the credentials (any user name, the token as password).
    app.use(DASHBOARD_PATH, adminAuth(config.admin.token, { basicChallenge: true }), dashboardRouter(deps.queue.queue));
  }
  app.use((_req, _res, next) => next(new NotFoundError('no such route')));
  app.use(errorHandler(logger.child({ module: 'errors' })));
  return app;
}
