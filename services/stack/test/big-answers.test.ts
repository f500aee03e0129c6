import { createHash } from 'node:crypto';
import { createRedisConnection, resultChannelName, type RedisClient } from '@webrequests/queue';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * SPEC §8 "A sync caller gets the answer that was recorded": large answers do not travel over pub/sub
 * in one message. A 30 MB `$body` published as one message made Redis drop the ingress's subscriber
 * (its output-buffer limit), and every other caller waiting on that ingress got 504. The worker now
 * stores a large answer under a short-lived key and publishes a pointer; the ingress takes the key.
 */

const MiB = 1024 * 1024;
const BIG_BYTES = 20 * MiB;
const SMALL_CALLERS = 20;

/** The byte at `i` of the big answer: every value from 0 to 255 occurs, in no simple repeating run. */
const BYTE_AT = '(i * 31 + (i >> 8)) & 255';

const BIG_SOURCE = `
const b = new Uint8Array(${BIG_BYTES});
for (let i = 0; i < b.length; i++) b[i] = ${BYTE_AT};
return { $headers: { 'X-Big': 'yes' }, $body: b };
`;
const SMALL_SOURCE = `await sleep(Number(query.pause ?? 0)); return { n: query.n };`;

function expectedBig(): Buffer {
  const bytes = Buffer.alloc(BIG_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 255;
  return bytes;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

let stack: TestStack;
let redis: RedisClient;
/** Listens on the ingress's result channel, as the ingress does, and notes the size of every message. */
let listener: RedisClient;
const messageBytes: number[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    workers: 1,
    env: { MAX_ANSWER_BYTES: String(32 * MiB), SANDBOX_MEMORY_MB: '256', WORKER_CONCURRENCY: '8' },
  });
  redis = createRedisConnection(process.env.TEST_REDIS_URL!, 'producer');
  listener = createRedisConnection(process.env.TEST_REDIS_URL!, 'subscriber');
  listener.on('message', (_channel: string, text: string) => messageBytes.push(Buffer.byteLength(text)));
  // The harness names its ingress processes ingress-0, ingress-1, …
  await listener.subscribe(resultChannelName(String(stack.env.QUEUE_PREFIX), 'ingress-0'));
}, 60_000);

afterAll(async () => {
  listener?.disconnect();
  redis?.disconnect();
  await stack?.stop();
});

/** Keys under the stack's prefix that hold stored results (the result channels are `<prefix>:results:<ingress>`). */
async function storedResultKeys(): Promise<string[]> {
  return redis.keys(`${stack.env.QUEUE_PREFIX}:results:*`);
}

it('answers a 20 MB binary $body intact while 20 small sync callers all get their answers, and leaves no key behind', async () => {
  const big = await stack.endpoint('big-answer', BIG_SOURCE);
  const small = await stack.endpoint('small-answer', SMALL_SOURCE);

  const bigCall = fetch(big.url).then(async (response) => ({ response, body: Buffer.from(await response.arrayBuffer()) }));
  // Small callers spread over the time the big answer is in flight, so some wait on the ingress while it arrives.
  const smallCalls = Array.from({ length: SMALL_CALLERS }, (_, n) =>
    fetch(`${small.url}?n=${n}&pause=${(n % 10) * 40}`).then(async (response) => ({ n, status: response.status, body: await response.text() })),
  );

  const [{ response, body }, answers] = await Promise.all([bigCall, Promise.all(smallCalls)]);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/octet-stream');
  expect(response.headers.get('x-big')).toBe('yes');
  expect(body.length).toBe(BIG_BYTES);
  expect(sha256(body)).toBe(sha256(expectedBig()));
  expect(answers.map(({ status }) => status)).toEqual(Array(SMALL_CALLERS).fill(200));
  expect(answers.map(({ n, body: text }) => [n, JSON.parse(text)])).toEqual(answers.map(({ n }) => [n, { n: String(n) }]));

  // Every answer went over pub/sub (21 of them), none of them in a large message.
  expect(messageBytes.length).toBeGreaterThanOrEqual(SMALL_CALLERS + 1);
  expect(Math.max(...messageBytes)).toBeLessThan(64 * 1024);
  // Taken by the ingress at once (read and delete), not left to expire.
  expect(await storedResultKeys()).toEqual([]);

  // The subscriber survived: the next small caller is answered as quickly as ever.
  const after = await fetch(`${small.url}?n=after`);
  expect(after.status).toBe(200);
  expect(await after.json()).toEqual({ n: 'after' });
}, 60_000);

it('answers several large answers at once, each to its own caller', async () => {
  messageBytes.length = 0;
  const echo = await stack.endpoint('large-echo', `const text = String(query.c).repeat(${2 * MiB}); return { $body: text };`);
  const calls = ['a', 'b', 'c'].map(async (c) => {
    const response = await fetch(`${echo.url}?c=${c}`);
    return { c, status: response.status, text: await response.text() };
  });
  for (const { c, status, text } of await Promise.all(calls)) {
    expect(status).toBe(200);
    expect(text.length).toBe(2 * MiB);
    expect(text).toBe(c.repeat(2 * MiB));
  }
  expect(Math.max(...messageBytes)).toBeLessThan(64 * 1024);
  expect(await storedResultKeys()).toEqual([]);
}, 60_000);
