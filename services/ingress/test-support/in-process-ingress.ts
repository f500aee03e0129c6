import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Express } from 'express';
import { loadConfig } from '@webrequests/config';
import { createIngressApp, type IngressDeps } from '@webrequests/ingress';
import { createLogger } from '@webrequests/logger';
import { SecretCache } from '@webrequests/protection';
import { EndpointLimits, ResultChannel, WebrequestQueue, createRedisConnection } from '@webrequests/queue';
import { SqliteStore } from '@webrequests/store';

/** The ingress app built in this process on the test Redis and an in-memory SQLite store, for supertest. */
export interface InProcessIngress {
  app: Express;
  store: SqliteStore;
  /** The JSON log lines the app wrote so far, parsed. */
  logLines(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Builds the app as main.ts does, without a listener; `env` is laid over a minimal configuration and
 * `deps` over its parts.
 */
export async function inProcessIngress(env: Record<string, string> = {}, deps: Pick<IngressDeps, 'consoleDir'> = {}): Promise<InProcessIngress> {
  const redisUrl = process.env.TEST_REDIS_URL!;
  const producer = createRedisConnection(redisUrl, 'producer');
  const subscriber = createRedisConnection(redisUrl, 'subscriber');
  const store = new SqliteStore(':memory:');
  const prefix = `{r${randomBytes(4).toString('hex')}}`;
  const config = loadConfig({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'a'.repeat(16), ...env });
  const queue = new WebrequestQueue(producer, prefix);
  // The producer fails fast rather than queue commands: wait until it is connected, as main.ts does.
  await queue.queue.waitUntilReady();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const app = createIngressApp({
    config,
    store,
    queue,
    results: new ResultChannel(subscriber, prefix, 'in-process-test'),
    logger: createLogger({ service: 'ingress-test', level: config.log.level, destination: output }),
    checkSyntax: () => null,
    abortProcess: async () => undefined,
    pingRedis: () => producer.ping(),
    secrets: new SecretCache(store, null),
    secretKeeping: { box: null, announceChange: async () => undefined },
    limits: new EndpointLimits(producer, prefix),
    ...deps,
  });
  return {
    app,
    store,
    logLines: () =>
      written
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      await queue.close();
      await Promise.allSettled([producer.quit(), subscriber.quit()]);
      await store.close().catch(() => undefined);
    },
  };
}
