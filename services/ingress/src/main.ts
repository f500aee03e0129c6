import { once } from 'node:events';
import { loadServiceConfig, ConfigError } from '@webrequests/config';
import { handleShutdown } from '@webrequests/lifecycle';
import { createLogger } from '@webrequests/logger';
import { ResultChannel, WebrequestQueue, createRedisConnection, publishControl } from '@webrequests/queue';
import { checkSyntax } from '@webrequests/sandbox';
import { openStore } from '@webrequests/store';
import { createIngressApp } from './app';

async function main(): Promise<void> {
  const config = loadServiceConfig();
  const logger = createLogger({ level: config.log.level, service: 'ingress' });
  const store = await openStore(config.store.url);
  const redisOptions = {
    cluster: config.redis.cluster,
    onError: (error: Error) => logger.warn('redis connection error', { error: error.message }),
  };
  const producer = createRedisConnection(config.redis.url, 'producer', redisOptions);
  const subscriber = createRedisConnection(config.redis.url, 'subscriber', redisOptions);
  const queue = new WebrequestQueue(producer, config.redis.prefix);
  await queue.queue.waitUntilReady();
  queue.watchBacklog();
  const results = new ResultChannel(subscriber, config.redis.prefix, config.instanceId);
  await results.start();
  await results.verify(producer);

  const app = createIngressApp({
    config,
    store,
    queue,
    results,
    logger,
    checkSyntax,
    abortProcess: (processId, reason) => publishControl(producer, config.redis.prefix, { kind: 'abort', processId, reason }),
    pingRedis: () => producer.ping(),
  });
  const server = app.listen(config.http.port, config.http.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info('ingress listening', { port, instanceId: config.instanceId });
  // A supervisor (the local stack, tests) reads the port from here when PORT=0.
  process.send?.({ kind: 'listening', port });

  handleShutdown(
    [
      // Stop accepting; close() waits for the requests in hand, which end by their deadline at the latest.
      { name: 'http', run: () => new Promise((resolve) => server.close(resolve)) },
      { name: 'results', run: () => results.close() },
      { name: 'queue', run: () => queue.close() },
      { name: 'store', run: () => store.close() },
      { name: 'redis', run: () => producer.quit() },
    ],
    { timeoutMs: config.shutdownTimeoutMs, log: (message, meta) => logger.info(message, meta) },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `ingress failed to start: ${String(error)}`);
  process.exit(1);
});
