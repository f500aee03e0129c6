import { randomUUID } from 'node:crypto';
import { ResultChannel, createRedisConnection, publishResult } from '@webrequests/queue';

const REDIS_URL = process.env.TEST_REDIS_URL!;

describe('ResultChannel', () => {
  it('delivers each answer to the request waiting for it, and verify() proves the subscription', async () => {
    const subscriber = createRedisConnection(REDIS_URL, 'subscriber');
    const publisher = createRedisConnection(REDIS_URL, 'worker');
    const channel = new ResultChannel(subscriber, `{t${randomUUID().slice(0, 8)}}`, 'ingress-a');
    try {
      // Started while the connection is still connecting: the subscription must still take.
      await channel.start();
      await channel.verify(publisher, 1, 2000);
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

  it('verify() fails when nothing published on the channel comes back', async () => {
    const subscriber = createRedisConnection(REDIS_URL, 'subscriber');
    const publisher = createRedisConnection(REDIS_URL, 'worker');
    // Never started: not subscribed, so the probe cannot arrive, and re-subscribing is all verify can do;
    // drop the re-subscription too, to see the failure path.
    const channel = new ResultChannel(subscriber, `{t${randomUUID().slice(0, 8)}}`, 'ingress-b');
    jest.spyOn(subscriber, 'subscribe').mockResolvedValue(0 as never);
    try {
      await expect(channel.verify(publisher, 2, 200)).rejects.toThrow(/does not receive/);
    } finally {
      await channel.close();
      publisher.disconnect();
    }
  });
});
