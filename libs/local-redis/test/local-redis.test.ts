import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort, obtainRedis, NO_REDIS_MESSAGE, type LocalRedis } from '@webrequests/local-redis';

/** Resolves 'connected' or the socket error code, so a test can tell a stopped server from a live one. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** A folder holding only a fake `redis-server` shell script, to search instead of the real PATH. */
async function fakeServerPath(script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-redis-'));
  const file = join(dir, 'redis-server');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return dir;
}

describe('obtainRedis with a redis-server on the PATH', () => {
  const started: LocalRedis[] = [];
  const quiet = { log: () => {} };

  afterAll(async () => {
    await Promise.all(started.map((redis) => redis.stop()));
  });

  it('starts a private server on a loopback port that answers PING', async () => {
    const redis = await obtainRedis(quiet);
    started.push(redis);
    expect(redis.started).toBe(true);
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      expect(await client.ping()).toBe('PONG');
      // No persistence and no eviction: a test Redis must neither write dumps nor drop BullMQ keys.
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
    } finally {
      client.disconnect();
    }
  });

  it('starts two servers side by side on different ports', async () => {
    const [a, b] = await Promise.all([obtainRedis(quiet), obtainRedis(quiet)]);
    started.push(a, b);
    expect(a.url).not.toBe(b.url);
    expect(await connectOutcome(portOf(a.url))).toBe('connected');
    expect(await connectOutcome(portOf(b.url))).toBe('connected');
  });

  it('stops the server on stop(), so its port refuses connections, and a second stop() is harmless', async () => {
    const redis = await obtainRedis(quiet);
    const port = portOf(redis.url);
    expect(await connectOutcome(port)).toBe('connected');
    await redis.stop();
    expect(await connectOutcome(port)).toBe('ECONNREFUSED');
    await expect(redis.stop()).resolves.toBeUndefined();
  });

  it('says what it started through the log', async () => {
    const lines: string[] = [];
    const redis = await obtainRedis({ log: (line) => lines.push(line) });
    started.push(redis);
    expect(lines.some((line) => line.includes(redis.url))).toBe(true);
  });
});

describe('obtainRedis with a URL', () => {
  it('returns the URL untouched, starts nothing, and stop() is a no-op', async () => {
    const url = 'redis://redis.invalid:6390/3';
    const redis = await obtainRedis({ url, log: () => {} });
    expect(redis).toMatchObject({ url, started: false });
    await expect(redis.stop()).resolves.toBeUndefined();
  });
});

describe('obtainRedis when no Redis can be had', () => {
  it('rejects with a one-line instruction when redis-server is missing and installing is not allowed', async () => {
    const failure = obtainRedis({ searchPath: '', allowInstall: false, log: () => {} });
    await expect(failure).rejects.toThrow(NO_REDIS_MESSAGE);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toContain('REDIS_URL');
  });

  it("rejects with the server's own output when redis-server dies during start", async () => {
    const dir = await fakeServerPath('echo "FATAL CONFIG FILE ERROR: bad directive" >&2\nexit 1');
    try {
      const failure = obtainRedis({ searchPath: dir, allowInstall: false, log: () => {} });
      await expect(failure).rejects.toThrow(/stopped during start \(exit code 1\)[\s\S]*bad directive/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives up and kills the server when it never answers PING within the start timeout', async () => {
    const dir = await fakeServerPath('echo "pretending to start"\nexec sleep 30');
    try {
      const startedAt = Date.now();
      const failure = obtainRedis({ searchPath: dir, allowInstall: false, startTimeoutMs: 500, log: () => {} });
      await expect(failure).rejects.toThrow(/did not answer PING[\s\S]*pretending to start/);
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('findFreePort', () => {
  it('returns a loopback port that a server can listen on', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
