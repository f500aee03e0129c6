import express, { type Express } from 'express';
import helmet from 'helmet';
import { NotFoundError } from '@webrequests/contracts';
import type { Config } from '@webrequests/config';
import type { Logger } from '@webrequests/logger';
import type { SecretCache } from '@webrequests/protection';
import type { EndpointLimits, ResultChannel, WebrequestQueue } from '@webrequests/queue';
import type { Store } from '@webrequests/store';
import { adminAuth } from './admin/admin-auth';
import { announcingCatalogChanges } from './admin/catalog-announcer';
import { adminRouter, type AdminDeps } from './admin/admin-router';
import { CONSOLE_PATH, builtConsoleDir, consoleRouter } from './admin/console-files';
import { DASHBOARD_PATH, dashboardRouter } from './admin/dashboard';
import type { SecretKeeping } from './admin/secret-operations';
import { EndpointCache } from './endpoint-cache';
import { EndpointGuard } from './endpoint-guard';
import { errorHandler } from './error-handler';
import { IngressMetrics } from './ingress-metrics';
import { ProcessIntake } from './process-intake';
import { ProcessRuns } from './process-runs';
import { requestContext } from './request-context';
import { requestLog } from './request-log';
import { ResultWaiter } from './result-waiter';
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
  /** Decrypted secret values the endpoints' auth checks with. */
  secrets: SecretCache;
  /** Sealing new secret values and telling every service of a change. */
  secretKeeping: SecretKeeping;
  /** De-duplication and maxConcurrent, across every ingress (Redis). */
  limits: EndpointLimits;
  /** Default: a registry of its own; main.ts serves it on METRICS_PORT. */
  metrics?: IngressMetrics;
  /** The endpoints the public route serves from memory; default: a cache of its own. main.ts empties it on a `catalog-changed` message. */
  endpoints?: EndpointCache;
  /** Tells the other services that the catalog changed (a control message); default: nobody else to tell. */
  announceCatalogChange?: () => Promise<void>;
  /** The web console's built files; default `@webrequests/console`'s `dist` ({@link builtConsoleDir}). */
  consoleDir?: string;
}

/**
 * Headers of every page an operator's browser opens (the console, the dashboard, the admin API): scenario answers
 * share this origin, so no page of theirs may frame these or run a script in them. The dashboard's
 * own scripts and styles are its files; it draws with inline styles and loads Google's fonts.
 */
const operatorPages = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  crossOriginEmbedderPolicy: false,
});

/**
 * Builds the ingress Express app without listening: the public endpoint, the admin API, the Bull
 * dashboard and the web console (all three only with an admin token) and health checks. Prometheus metrics are served apart
 * ({@link metricsApp}), on METRICS_PORT.
 */
export function createIngressApp(deps: IngressDeps): Express {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? new IngressMetrics(deps.queue.queue);
  const intake = new ProcessIntake({ store: deps.store, queue: deps.queue, logger, resultLimit: config.processes.resultLimit });
  const waiter = new ResultWaiter(deps);
  const guard = new EndpointGuard(deps.secrets, metrics, logger);
  const endpoints = deps.endpoints ?? new EndpointCache(deps.store);
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
  app.use('/api/webrequest', metrics.observeRequests, webrequestHandler({ ...deps, guard, metrics, intake, waiter, endpoints }));
  if (config.admin.token) {
    const withdrawProcess =
      deps.withdrawProcess ?? ((processId: string) => deps.queue.withdraw(processId, { code: 'aborted', message: 'the process was deleted before it started' }));
    const runs = new ProcessRuns({ ...deps, intake, waiter });
    const catalogLog = logger.child({ module: 'admin' });
    // This ingress serves a change to the very next request; the others hear of it on the control channel.
    const announce = async (): Promise<void> => {
      endpoints.forget();
      await deps.announceCatalogChange?.().catch((error: unknown) =>
        catalogLog.warn('could not tell the other services that the catalog changed; they see it within seconds', { error: String(error) }),
      );
    };
    const store = announcingCatalogChanges(deps.store, announce);
    app.use('/api/admin', operatorPages, adminAuth(config.admin.token), adminRouter({ ...deps, store, withdrawProcess, runs }));
    // Basic, so that a browser asks for the credentials (any user name, the token as password).
    app.use(DASHBOARD_PATH, operatorPages, adminAuth(config.admin.token, { basicChallenge: true }), dashboardRouter(deps.queue.queue));
    app.use(CONSOLE_PATH, operatorPages, consoleRouter(deps.consoleDir ?? builtConsoleDir()));
  }
  app.use((_req, _res, next) => next(new NotFoundError('no such route')));
  app.use(errorHandler(logger.child({ module: 'errors' })));
  return app;
}

/** The metrics listener's app: `GET /metrics` alone, kept off the public port because it names every endpoint. */
export function metricsApp(metrics: IngressMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use((_req, res) => void res.status(404).json({ error: { code: 'not_found', message: 'only /metrics is served here' } }));
  return app;
}
