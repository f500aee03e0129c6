import { createServer } from 'node:http';
import { loadServiceConfig } from '@webrequests/config';
import { exitOnStartupFailure, handleShutdown, listen } from '@webrequests/lifecycle';
import { createLogger } from '@webrequests/logger';
import { SecretCache, openSecretBox } from '@webrequests/protection';
import { EndpointLimits, ResultChannel, WebrequestQueue, createRedisConnection, publishControl, subscribeControl, waitForRedis } from '@webrequests/queue';
import { checkSyntax } from '@webrequests/scenario-syntax';
import { countedStore, openStore } from '@webrequests/store';
import { createIngressApp, metricsApp } from './app';
import { EndpointCache } from './endpoint-cache';
import { IngressMetrics } from './ingress-metrics';

async function main(): Promise<void> {
  const config = loadServiceConfig();
  const logger = createLogger({ level: config.log.level, service: 'ingress' });
  // First, so that every store call is counted; the queue (below) is read only at scrape time.
  const metrics = new IngressMetrics({ getJobCounts: (...states) => queue.queue.getJobCounts(...states) });
  const store = countedStore(await openStore(config.store.url), (operation) => metrics.storeOperation(operation));
  const secretBox = await openSecretBox(config.secrets, store);
  const redisOptions = {
    cluster: config.redis.cluster,
    onError: (error: Error) => logger.warn('redis connection error', { error: error.message }),
  };
  const producer = createRedisConnection(config.redis.url, 'producer', redisOptions);
  const subscriber = createRedisConnection(config.redis.url, 'subscriber', redisOptions);
  await waitForRedis(producer, config.redis.url, config.redis.connectTimeoutMs);
  const queue = new WebrequestQueue(producer, config.redis.prefix, (error) => logger.warn('queue error', { error }), config.http.maxBodyBytes);
  await queue.queue.waitUntilReady();
  queue.watchBacklog();
  const results = new ResultChannel(subscriber, config.redis.prefix, config.instanceId);
  results.onRecovered = (recovered, error) => {
    if (error) logger.warn('could not look for answers missed while the result subscriber was away', { error: String(error) });
    else logger.info('result subscriber back', { recovered });
  };
  await results.start();
  // Secrets the endpoints' auth checks with, kept in memory; a change anywhere drops the old value here.
  const secrets = new SecretCache(store, secretBox);
  const endpoints = new EndpointCache(store);
  const control = createRedisConnection(config.redis.url, 'subscriber', redisOptions);
  await subscribeControl(
    control,
    config.redis.prefix,
    (message) => {
      if (message.kind === 'secrets-changed') secrets.forget(message.name);
      else if (message.kind === 'catalog-changed') endpoints.forget();
    },
    (problem, error) => logger.warn(problem, { error: String(error) }),
  );
  // Messages sent while the subscriber was away are lost: every value is read again.
  control.on('ready', () => {
    secrets.forget();
    endpoints.forget();
  });

  let draining = false;
  const app = createIngressApp({
    isDraining: () => draining,
    config,
    store,
    queue,
    results,
    logger,
    checkSyntax,
    abortProcess: (processId, reason) => publishControl(producer, config.redis.prefix, { kind: 'abort', processId, reason }),
    pingRedis: () => producer.ping(),
    secrets,
    secretKeeping: {
      box: secretBox,
      announceChange: async (name) => {
        secrets.forget(name);
        await publishControl(producer, config.redis.prefix, { kind: 'secrets-changed', name });
      },
    },
    limits: new EndpointLimits(producer, config.redis.prefix),
    metrics,
    endpoints,
    announceCatalogChange: () => publishControl(producer, config.redis.prefix, { kind: 'catalog-changed' }),
  });
  // A request (headers and body) must arrive within REQUEST_TIMEOUT_MS; Node answers a slower one 408,
  // checking every second (its default check runs every 30 s, which would nearly double the limit).
  const server = createServer(
    { requestTimeout: config.http.requestTimeoutMs, headersTimeout: Math.min(config.http.requestTimeoutMs, 20_000), connectionsCheckingInterval: 1000 },
    app,
  );
  server.maxConnections = config.http.maxConnections;
  const port = await listen(server, config.http.port, config.http.host, 'PORT');
  const metricsServer = createServer(metricsApp(metrics));
  const metricsPort = await listen(metricsServer, config.http.metricsPort, config.http.host, 'METRICS_PORT');
  logger.info('ingress listening', { port, metricsPort, instanceId: config.instanceId });
  // A supervisor (the local stack, tests) reads the ports from here when PORT=0 / METRICS_PORT=0.
  process.send?.({ kind: 'listening', port, metricsPort });

  handleShutdown(
    [
      {
        // Still serving, with /readyz at 503, so that a load balancer takes this instance out first.
        name: 'drain',
        run: async () => {
          draining = true;
          logger.info('draining: /readyz answers 503; the listener closes after the delay', { delayMs: config.shutdownDelayMs });
          await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
        },
      },
      {
        // Stop accepting; close() waits for the requests in hand (each ends by its sync deadline at the
        // latest, within the hard limit) and closes idle connections at once.
        name: 'http',
        run: () =>
          new Promise<void>((resolve) => {
            logger.info('listener closed; answering the requests in hand', { waiting: results.waiting });
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      },
      { name: 'metrics', run: () => new Promise<void>((resolve) => metricsServer.close(() => resolve())) },
      { name: 'results', run: () => results.close() },
      { name: 'queue', run: () => queue.close() },
      { name: 'store', run: () => store.close() },
      { name: 'redis', run: () => Promise.all([producer.quit(), control.quit()]) },
    ],
    { timeoutMs: config.shutdownTimeoutMs, log: (message, meta) => logger.info(message, meta) },
  );
}

main().catch((error: unknown) => exitOnStartupFailure('ingress', error));
