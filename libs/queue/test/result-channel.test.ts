import { randomUUID } from 'node:crypto';
import { ResultChannel, createRedisConnection, publishResult } from '@webrequests/queue';

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
      await publishResult(publisher, channel.name, { kind: 'error', processId: 'p2', error: { code: 'x', message: 'two' } });
      await publishResult(publisher, channel.name, { kind: 'error', processId: 'p1', error: { code: 'x', message: 'one' } });
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
      await Promise.all(channels.map((channel) => publishResult(publisher, channel.name, { kind: 'error', processId: 'probe', error: { code: 'x', message: channel.name } })));
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
});
