import type { RedisClient } from './redis-connection';
import { RedisUnreachableError } from './redis-unreachable-error';

/**
 * Resolves once `client` has finished its handshake. Subscriptions wait for it, so that a SUBSCRIBE is
 * never interleaved with the connection's own start-up commands.
 */
export async function whenReady(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  // Not events.once: it would reject on the 'error' events ioredis emits while it retries to connect.
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}

/**
 * Waits, at start, until `client` is connected, for at most `timeoutMs` while ioredis retries; then
 * rejects with a {@link RedisUnreachableError} naming `url` (without its password) and the last
 * connection error. A service calls it before anything else needs Redis, so a dead Redis is one clear
 * line and a non-zero exit, not a wait for ever.
 */
export async function waitForRedis(client: RedisClient, url: string, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  let lastError: string | undefined;
  const onError = (error: Error): void => {
    lastError = error.message || (error as NodeJS.ErrnoException).code || error.name;
  };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      whenReady(client),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new RedisUnreachableError(url, timeoutMs, lastError)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}
