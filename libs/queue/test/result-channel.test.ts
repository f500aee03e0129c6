import { randomUUID } from 'node:crypto';
import type { ResultMessage } from '@webrequests/contracts';
import { ResultChannel, createRedisConnection, publishResult, type RedisClient } from '@webrequests/queue';

const REDIS_URL = process.env.TEST_REDIS_URL!;

describe('ResultChannel', () => {
  it('delivers each answer to the request waiting for it', async () => {
    const subscriber = createRedisConnection(REDIS_URL, 'subscriber');
    const publisher = createRedisConnection(REDIS_URL, 'worker');
    const channel = new ResultChannel(subscriber, `{t${randomUUID().slice(0, 8)}}`, 'ingress-a');
    try {
      await channel.start();
      const first = channel.expect('p1');
      const second = channel.expect('p2');
      expect(channel.waiting).toBe(2);
      await publishResult(publisher, channel.name, { kind: 'error', processId: 'p2', error: { code: 'internal_error', message: 'two' } });
      await publishResult(publisher, channel.name, { kind: 'error', processId: 'p1', error: { code: 'internal_error', message: 'one' } });
      await expect(first.result).resolves.toMatchObject({ processId: 'p1', error: { message: 'one' } });
      await expect(second.result).resolves.toMatchObject({ processId: 'p2', error: { message: 'two' } });
      expect(channel.waiting).toBe(0);
    } finally {
      await channel.close();
      publisher.disconnect();
    }
  });

  it('is subscribed once start() resolves, even when started while the connection is still connecting', async () => {
    // ioredis 5 could lose a SUBSCRIBE sent during its handshake (issue #2037): start() resolved and
    // nothing ever arrived. Many fresh connections, each started at once, each must hear its answer.
    const publisher = createRedisConnection(REDIS_URL, 'worker');
    const prefix = `{t${randomUUID().slice(0, 8)}}`;
    const channels = Array.from({ length: 40 }, (_, i) => new ResultChannel(createRedisConnection(REDIS_URL, 'subscriber'), prefix, `ingress-${i}`));
    try {
      await Promise.all(channels.map((channel) => channel.start()));
      const answers = channels.map((channel) => channel.expect('probe').result);
      await Promise.all(channels.map((channel) => publishResult(publisher, channel.name, { kind: 'error', processId: 'probe', error: { code: 'internal_error', message: channel.name } })));
      const messages = await Promise.race([
        Promise.all(answers).then((results) => results.map((r) => (r.kind === 'error' ? r.error.message : r.kind))),
        new Promise<string>((resolve) => setTimeout(() => resolve('some answers never arrived'), 5000).unref()),
      ]);
      expect(messages).toEqual(channels.map((channel) => channel.name));
    } finally {
      await Promise.all(channels.map((channel) => channel.close()));
      publisher.disconnect();
    }
  });

  describe('large answers', () => {
    let subscriber: RedisClient;
    let publisher: RedisClient;
    let channel: ResultChannel;
    /** Every message published on the channel, as Redis carried it. */
    const heard: string[] = [];
    let listener: RedisClient;

    beforeEach(async () => {
      heard.length = 0;
      subscriber = createRedisConnection(REDIS_URL, 'subscriber');
      publisher = createRedisConnection(REDIS_URL, 'worker');
      channel = new ResultChannel(subscriber, `{t${randomUUID().slice(0, 8)}}`, 'ingress-big');
      await channel.start();
      listener = createRedisConnection(REDIS_URL, 'subscriber');
      listener.on('message', (_name: string, text: string) => heard.push(text));
      await listener.subscribe(channel.name);
    });

    afterEach(async () => {
      await channel.close();
      listener.disconnect();
      publisher.disconnect();
    });

    /** A response whose body is `size` bytes covering every byte value. */
    function bigResponse(processId: string, size: number): { message: ResultMessage; body: Buffer } {
      const body = Buffer.alloc(size);
      for (let i = 0; i < size; i++) body[i] = (i * 7 + (i >> 10)) & 255;
      return { message: { kind: 'response', processId, response: { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, bodyBase64: body.toString('base64') } }, body };
    }

    it('publishes a small answer as it is', async () => {
      const waiting = channel.expect('small');
      await publishResult(publisher, channel.name, { kind: 'error', processId: 'small', error: { code: 'internal_error', message: 'tiny' } }, { deadline: Date.now() + 5000 });
      await expect(waiting.result).resolves.toEqual({ kind: 'error', processId: 'small', error: { code: 'internal_error', message: 'tiny' } });
      expect(heard.map((text) => JSON.parse(text).kind)).toEqual(['error']);
    });

    it('stores a large answer under a short-lived key and publishes only a small pointer, which take() turns back into the exact answer', async () => {
      const { message, body } = bigResponse('big', 3 * 1024 * 1024);
      const waiting = channel.expect('big');
      await publishResult(publisher, channel.name, message, { deadline: Date.now() + 20_000 });
      const pointer = await waiting.result;
      expect(pointer).toEqual({ kind: 'stored', processId: 'big', key: `${channel.name}:big`, bytes: Buffer.byteLength(JSON.stringify(message)) });
      expect(Math.max(...heard.map((text) => Buffer.byteLength(text)))).toBeLessThan(1024);
      const ttl = await publisher.pttl(`${channel.name}:big`);
      expect(ttl).toBeGreaterThan(20_000);
      expect(ttl).toBeLessThanOrEqual(25_000);
      if (pointer.kind !== 'stored') throw new Error('expected a pointer');
      const stored = await channel.take(pointer);
      expect(stored?.kind).toBe('response');
      if (stored?.kind !== 'response') throw new Error('expected the response');
      expect(Buffer.compare(Buffer.from(stored.response.bodyBase64!, 'base64'), body)).toBe(0);
      expect(stored).toEqual(message);
      // Taken means gone: a second take finds nothing.
      expect(await publisher.exists(`${channel.name}:big`)).toBe(0);
      expect(await channel.take(pointer)).toBeNull();
    });

    it('keeps a stored answer at most a minute, whatever the deadline', async () => {
      const { message } = bigResponse('long', 400 * 1024);
      channel.expect('long');
      await publishResult(publisher, channel.name, message, { deadline: Date.now() + 24 * 3600_000 });
      const ttl = await publisher.pttl(`${channel.name}:long`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });

    it('deletes a stored answer nobody waits for any more', async () => {
      const { message } = bigResponse('abandoned', 400 * 1024);
      await publishResult(publisher, channel.name, message, { deadline: Date.now() + 20_000 });
      const until = Date.now() + 5000;
      while ((await publisher.exists(`${channel.name}:abandoned`)) === 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(await publisher.exists(`${channel.name}:abandoned`)).toBe(0);
    });

    it('refuses a pointer to a key that is not one of its own answers', async () => {
      await publisher.set(`${channel.name}-other:p`, JSON.stringify({ kind: 'error', processId: 'p', error: { code: 'internal_error', message: 'not yours' } }));
      expect(await channel.take({ kind: 'stored', processId: 'p', key: `${channel.name}-other:p`, bytes: 10 })).toBeNull();
      expect(await publisher.exists(`${channel.name}-other:p`)).toBe(1);
      await publisher.del(`${channel.name}-other:p`);
    });
  });
});
