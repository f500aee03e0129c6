import { createServer } from 'node:net';
import { RedisUnreachableError, createRedisConnection, redactRedisUrl, waitForRedis } from '@webrequests/queue';

const REDIS_URL = process.env.TEST_REDIS_URL!;

/** A loopback port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('waitForRedis', () => {
  it('resolves once a live Redis is connected', async () => {
    const client = createRedisConnection(REDIS_URL, 'producer');
    try {
      await waitForRedis(client, REDIS_URL, 5000);
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });

  it('gives up on a dead Redis after the time limit, with one line naming it, why, and what to do', async () => {
    const url = `redis://:hunter2-secret@127.0.0.1:${await deadPort()}`;
    const reports: Error[] = [];
    const client = createRedisConnection(url, 'worker', { onError: (error) => reports.push(error) });
    const started = Date.now();
    try {
      const failure = await waitForRedis(client, url, 1500).then(
        () => null,
        (error: unknown) => error,
      );
      const waited = Date.now() - started;
      expect(failure).toBeInstanceOf(RedisUnreachableError);
      const message = (failure as Error).message;
      expect(message).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is unreachable \(.*ECONNREFUSED.*\) after 1\.5 s: start it, or set REDIS_URL/);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('\n');
      expect(waited).toBeGreaterThanOrEqual(1400);
      // ioredis retried several times meanwhile; the same error is reported once, not once per retry.
      expect(reports.length).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});

describe('redactRedisUrl', () => {
  it('hides passwords, with or without a user name, in every seed node', () => {
    expect(redactRedisUrl('redis://:pw@h:6379')).toBe('redis://:***@h:6379');
    expect(redactRedisUrl('rediss://user:pw@h:6380/0')).toBe('rediss://user:***@h:6380/0');
    expect(redactRedisUrl('redis://h:6379')).toBe('redis://h:6379');
    expect(redactRedisUrl('redis://:a@h1:1,redis://:b@h2:2')).toBe('redis://:***@h1:1,redis://:***@h2:2');
  });
});
