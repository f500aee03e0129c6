import type { RedisClient } from './redis-connection';

/**
 * Resolves once `client` has finished its handshake. A SUBSCRIBE sent while ioredis 5 is still
 * connecting can interleave with its handshake (CLIENT SETINFO, the INFO ready check) and leave the
 * connection unsubscribed although the subscribe call resolved (ioredis issue #2037): an ingress then
 * never hears its answers. Subscribing only once the client is ready avoids the race.
 */
export async function whenReady(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  // Not events.once: it would reject on the 'error' events ioredis emits while it retries to connect.
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}
