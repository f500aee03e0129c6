import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * SPEC §8 "Redis memory stays bounded: a body is kept once per job, and finished jobs are kept briefly
 * and capped". A job used to hold a body twice (`body` and `rawBody`: 2.7× a binary body), and up to
 * 5,000 failed jobs for 7 days whatever their size.
 */
let stack: TestStack;
let redis: Redis;

beforeAll(async () => {
  // MAX_BODY_BYTES of 16 MiB: only 10 ended jobs of each kind fit in the kept-jobs budget (128 MiB).
  stack = await startTestStack({ workers: 0, env: { MAX_BODY_BYTES: String(16 * 1024 * 1024) } });
  redis = new Redis(stack.env.REDIS_URL!);
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

async function jobDataBytes(processId: string): Promise<number> {
  const data = await redis.hget(`${stack.env.QUEUE_PREFIX}:webrequests:${processId}`, 'data');
  return Buffer.byteLength(data ?? '');
}

it('keeps a binary body once in its job (as base64), not twice', async () => {
  const { url } = await stack.endpoint('memory-binary', 'return {};');
  const body = randomBytes(200 * 1024);
  const response = await fetch(`${url}?async=true`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
  expect(response.status).toBe(200);
  const base64Bytes = body.toString('base64').length;
  const bytes = await jobDataBytes(response.headers.get('x-process-id')!);
  expect(bytes).toBeGreaterThan(base64Bytes);
  expect(bytes).toBeLessThan(base64Bytes * 1.1);
});

it('keeps a JSON body once in its job (its raw text), and the scenario still gets it parsed', async () => {
  const { url } = await stack.endpoint('memory-json', 'return { $body: { keys: Object.keys(body).length, same: JSON.stringify(body) === rawBody } };');
  const payload = JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key${i}`, `value ${i} ${'x'.repeat(40)}`])));
  const response = await fetch(`${url}?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  const processId = response.headers.get('x-process-id')!;
  const bytes = await jobDataBytes(processId);
  // Once, as an escaped JSON string (each quote gains a backslash).
  expect(bytes).toBeLessThan(payload.length * 1.3);
  await stack.addWorker();
  const record = await stack.waitForProcess(processId);
  expect(record).toMatchObject({ status: 'completed', output: { $body: { keys: 2000, same: true } } });
});

it('keeps at most the capped number of failed jobs in Redis', async () => {
  const { url } = await stack.endpoint('memory-failing', "throw new Error('always');");
  if (stack.workers.length === 0) await stack.addWorker();
  const body = randomBytes(64 * 1024);
  for (let i = 0; i < 30; i++) {
    const response = await fetch(`${url}?async=true`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    expect(response.status).toBe(200);
  }
  const until = Date.now() + 20_000;
  let failed = 0;
  let done = false;
  while (!done && Date.now() < until) {
    const page = await stack.admin<{ items: Array<{ status: string }> }>('GET', `/processes?status=failed&limit=100`);
    done = page.items.length >= 30;
    await sleep(100);
  }
  failed = await redis.zcard(`${stack.env.QUEUE_PREFIX}:webrequests:failed`);
  expect(done).toBe(true);
  expect(failed).toBeLessThanOrEqual(10);
  expect(failed).toBeGreaterThan(0);
});
