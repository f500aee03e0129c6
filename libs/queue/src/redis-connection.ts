import { Redis, type RedisOptions } from 'ioredis';

/**
 * What a connection is for. BullMQ workers and subscribers block or wait, so they must retry forever
 * (`maxRetriesPerRequest: null`); producers must fail fast instead (`enableOfflineQueue: false`), so
 * that an ingress answers 503 at once when Redis is gone rather than holding the caller.
 */
export type ConnectionRole = 'producer' | 'worker' | 'subscriber';

/** Opens an ioredis connection to `url` configured for its {@link ConnectionRole}. */
export function createRedisConnection(url: string, role: ConnectionRole, options: RedisOptions = {}): Redis {
  const byRole: RedisOptions =
    role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true };
  return new Redis(url, {
    connectionName: `webrequests-${role}`,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...byRole,
    ...options,
  });
}
