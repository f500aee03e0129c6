import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@webrequests/config';
import { createIngressApp } from '@webrequests/ingress';
import { createLogger } from '@webrequests/logger';
import { ResultChannel, WebrequestQueue, createRedisConnection } from '@webrequests/queue';
import { SqliteStore } from '@webrequests/store';

/**
 * The ingress's readiness (`GET /readyz`, SPEC §5) with its real parts: the test Redis and a SQLite
 * store that is then closed, as a store that went away would be. (Redis going away is covered end to
 * end in services/stack/test/metrics.test.ts and errors.test.ts.)
 */

const redisUrl = process.env.TEST_REDIS_URL!;
const producer = createRedisConnection(redisUrl, 'producer');
const subscriber = createRedisConnection(redisUrl, 'subscriber');
const store = new SqliteStore(':memory:');
let server: Server;
let base: string;
let queue: WebrequestQueue;

beforeAll(async () => {
  const prefix = `{r${randomBytes(4).toString('hex')}}`;
  const config = loadConfig({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'a'.repeat(16), LOG_REQUESTS: 'false' });
  queue = new WebrequestQueue(producer, prefix);
  // The producer fails fast rather than queue commands: wait until it is connected, as main.ts does.
  await queue.queue.waitUntilReady();
  const app = createIngressApp({
    config,
    store,
    queue,
    results: new ResultChannel(subscriber, prefix, 'readiness-test'),
    logger: createLogger({ service: 'ingress-test', silent: true }),
    checkSyntax: () => null,
    abortProcess: async () => undefined,
    pingRedis: () => producer.ping(),
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await queue?.close();
  await Promise.allSettled([producer.quit(), subscriber.quit()]);
});

it('answers /readyz 200 while Redis and the store answer, then 503 naming the store once it is gone, while /healthz stays 200', async () => {
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ redis: 'ok', store: 'ok' });

  await store.close();
  const down = await fetch(`${base}/readyz`);
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ redis: 'ok', store: 'down' });
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  // The public endpoint says so too, rather than failing some other way.
  const refused = await fetch(`${base}/api/webrequest/anything`);
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable');
});
