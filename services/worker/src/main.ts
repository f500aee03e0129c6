import { Worker } from 'bullmq';
import type { JobPayload } from '@webrequests/contracts';
import { loadServiceConfig, ConfigError } from '@webrequests/config';
import { handleShutdown } from '@webrequests/lifecycle';
import { createLogger } from '@webrequests/logger';
import { QUEUE_NAME, createRedisConnection, subscribeControl } from '@webrequests/queue';
import { createThreadSandbox } from '@webrequests/sandbox';
import { openStore } from '@webrequests/store';
import { ProcessRunner, type JobResult } from './process-runner';
import { startRetention } from './retention';

async function main(): Promise<void> {
  const config = loadServiceConfig();
  const logger = createLogger({ level: config.log.level, service: 'worker' });
  const store = await openStore(config.store.url);
  const connection = createRedisConnection(config.redis.url, 'worker');
  const publisher = createRedisConnection(config.redis.url, 'worker');
  const control = createRedisConnection(config.redis.url, 'subscriber');
  const sandbox = createThreadSandbox({
    threads: config.worker.concurrency,
    memoryMb: config.worker.sandboxMemoryMb,
    onError: (error) => logger.error('sandbox pool error', { error: String(error) }),
  });
  const runner = new ProcessRunner({
    store,
    sandbox,
    publisher,
    logger,
    workerId: config.instanceId,
    resultLimit: config.processes.resultLimit,
  });
  await subscribeControl(control, config.redis.prefix, (message) => {
    if (message.kind === 'abort' && runner.abort(message.processId)) {
      logger.info('process stopped by an operator', { processId: message.processId, reason: message.reason });
    }
  });
  const worker = new Worker<JobPayload, JobResult>(QUEUE_NAME, (job) => runner.process(job), {
    connection,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
  });
  worker.on('error', (error) => logger.error('worker error', { error: String(error) }));
  await worker.waitUntilReady();
  const retention = startRetention(store, config.processes.retentionDays, logger);
  logger.info('worker ready', { instanceId: config.instanceId, concurrency: config.worker.concurrency });
  process.send?.({ kind: 'ready' });

  handleShutdown(
    [
      // close() stops taking jobs and waits for the ones in hand; past the hard limit they stall and
      // another worker takes them over.
      { name: 'worker', run: () => worker.close() },
      { name: 'retention', run: () => retention.stop() },
      { name: 'sandbox', run: () => sandbox.close() },
      { name: 'store', run: () => store.close() },
      { name: 'redis', run: () => Promise.all([publisher.quit(), control.quit()]) },
    ],
    { timeoutMs: config.shutdownTimeoutMs, log: (message, meta) => logger.info(message, meta) },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `worker failed to start: ${String(error)}`);
  process.exit(1);
});
