import { Queue, Worker } from 'bullmq';
import type { JobPayload } from '@webrequests/contracts';
import { loadServiceConfig } from '@webrequests/config';
import { exitOnStartupFailure, handleShutdown } from '@webrequests/lifecycle';
import { createLogger } from '@webrequests/logger';
import { SecretCache, openSecretBox } from '@webrequests/protection';
import { EndpointLimits, QUEUE_NAME, createRedisConnection, subscribeControl, waitForRedis } from '@webrequests/queue';
import { countedStore, openStore } from '@webrequests/store';
import { settleFailedJob } from './failed-job';
import { ProcessRunner, type JobResult } from './process-runner';
import { startReaper } from './reaper';
import { ScenarioCache } from './scenario-cache';
import { startRetention } from './retention';
import { startSandbox } from './start-sandbox';
import { startWorkerHttp } from './worker-http';
import { WorkerMetrics } from './worker-metrics';

async function main(): Promise<void> {
  const config = loadServiceConfig();
  const logger = createLogger({ level: config.log.level, service: 'worker' });
  // First, so that every store call is counted; the sandbox (below) is read only at scrape time.
  const metrics = new WorkerMetrics(() => sandbox.threadsKilled);
  const store = countedStore(await openStore(config.store.url), (operation) => metrics.storeOperation(operation));
  const secrets = new SecretCache(store, await openSecretBox(config.secrets, store));
  const redisOptions = {
    cluster: config.redis.cluster,
    onError: (error: Error) => logger.warn('redis connection error', { error: error.message }),
  };
  const connection = createRedisConnection(config.redis.url, 'worker', redisOptions);
  const publisher = createRedisConnection(config.redis.url, 'worker', redisOptions);
  const control = createRedisConnection(config.redis.url, 'subscriber', redisOptions);
  await waitForRedis(publisher, config.redis.url, config.redis.connectTimeoutMs);
  const sandbox = await startSandbox(config, logger);
  const scenarios = new ScenarioCache(store);
  const runner = new ProcessRunner({
    store,
    sandbox,
    publisher,
    logger,
    workerId: config.instanceId,
    resultLimit: config.processes.resultLimit,
    metrics,
    secrets,
    limits: new EndpointLimits(publisher, config.redis.prefix),
    scenarios,
  });
  await subscribeControl(
    control,
    config.redis.prefix,
    (message) => {
      if (message.kind === 'secrets-changed') secrets.forget(message.name);
      else if (message.kind === 'catalog-changed') scenarios.forget();
      else if (message.kind === 'abort' && runner.abort(message.processId)) {
        logger.info('process stopped by an operator', { processId: message.processId, reason: message.reason });
      }
    },
    (problem, error) => logger.warn(problem, { error: String(error) }),
  );
  // Messages sent while the subscriber was away are lost: every value is read again.
  control.on('ready', () => {
    secrets.forget();
    scenarios.forget();
  });
  const worker = new Worker<JobPayload, JobResult>(QUEUE_NAME, (job) => runner.process(job), {
    connection,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    // A worker that dies keeps its jobs locked this long; then another worker's stalled check takes
    // them over (once: a second loss fails the job for good, which settleFailedJob records).
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
  });
  worker.on('error', (error) => logger.error('worker error', { error: String(error) }));
  worker.on('stalled', (jobId) => logger.warn('job taken over from a lost worker', { processId: jobId }));
  worker.on('failed', (job, error) => {
    if (!job) return;
    settleFailedJob({ store, publisher, logger }, job, error.message).catch((settleError: unknown) =>
      logger.error('could not record a failed job', { processId: job.id, reason: error.message, error: String(settleError) }),
    );
  });
  await worker.waitUntilReady();
  const retention = startRetention(store, config.processes.retentionDays, logger);
  const reaperQueue = new Queue<JobPayload>(QUEUE_NAME, { connection: publisher, prefix: config.redis.prefix });
  reaperQueue.on('error', (error) => logger.warn('queue error', { error: String(error) }));
  const reaper = startReaper({
    store,
    queue: reaperQueue,
    redis: publisher,
    prefix: config.redis.prefix,
    logger,
    workerId: config.instanceId,
    intervalMs: config.worker.reaperIntervalMs,
    // The ingress adds the job right after it writes the record; give that a wide margin.
    minAgeMs: Math.max(10_000, config.worker.reaperIntervalMs),
  });
  const http =
    config.worker.httpPort > 0
      ? await startWorkerHttp({
          port: config.worker.httpPort,
          host: config.http.host,
          metrics: metrics.registry,
          checks: { redis: () => publisher.ping(), store: () => store.ping() },
        })
      : null;
  logger.info('worker ready', { instanceId: config.instanceId, concurrency: config.worker.concurrency, httpPort: http?.port ?? null });
  process.send?.({ kind: 'ready', httpPort: http?.port ?? null });

  handleShutdown(
    [
      // close() stops taking jobs and waits for the ones in hand; past the hard limit they stall and
      // another worker takes them over.
      { name: 'worker', run: () => worker.close() },
      { name: 'http', run: () => http?.close() },
      { name: 'retention', run: () => retention.stop() },
      { name: 'reaper', run: () => reaper.stop().then(() => reaperQueue.close()) },
      { name: 'sandbox', run: () => sandbox.close() },
      { name: 'store', run: () => store.close() },
      { name: 'redis', run: () => Promise.all([publisher.quit(), control.quit(), connection.quit()]) },
    ],
    { timeoutMs: config.shutdownTimeoutMs, log: (message, meta) => logger.info(message, meta) },
  );
}

main().catch((error: unknown) => exitOnStartupFailure('worker', error));
