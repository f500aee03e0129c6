import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

/**
 * What a connection is for. BullMQ workers and subscribers block or wait, so they must retry forever
 * (`maxRetriesPerRequest: null`); producers must fail fast instead (`enableOfflineQueue: false`), so
 * that an ingress answers 503 at once when Redis is gone rather than holding the caller.
 */
export type ConnectionRole = 'producer' | 'worker' | 'subscriber';

/** A connection to one Redis server or to a Redis Cluster; BullMQ and pub/sub accept either. */
export type RedisClient = Redis | Cluster;

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /**
   * Told of connection errors (ioredis retries on its own), at most once per distinct message every
   * {@link REPEATED_ERROR_INTERVAL_MS} while the connection is down, so an outage is a few log lines,
   * not one per retry. Without a listener ioredis prints "Unhandled error event" with a stack to stderr
   * instead of the service's JSON log: every connection gets one, even when this is not given.
   */
  onError?: (error: Error) => void;
  /** `url` holds the comma-separated seed nodes of a Redis Cluster; default false. */
  cluster?: boolean;
  /** ioredis options laid over the role's (for a cluster: over each node connection's). */
  redisOptions?: RedisOptions;
}

/**
 * Opens an ioredis connection configured for its {@link ConnectionRole}: to the Redis at `url`, or,
 * with `cluster`, a `Cluster` discovered from the comma-separated seed nodes in `url` (credentials and
 * TLS are taken from the first one). Queue keys must then share a hash tag (`{wr}`): BullMQ's scripts
 * touch several keys at once. Pub/sub goes over the cluster bus, so a subscriber on any node hears a
 * message published on any other.
 */
export function createRedisConnection(url: string, role: ConnectionRole, options: RedisConnectionOptions = {}): RedisClient {
  const offlineQueue = role !== 'producer';
  const nodeOptions: RedisOptions = {
    connectionName: `webrequests-${role}`,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    maxRetriesPerRequest: role === 'producer' ? 1 : null,
    ...options.redisOptions,
  };
  const client = options.cluster ? clusterClient(url, offlineQueue, nodeOptions) : new Redis(url, { enableOfflineQueue: offlineQueue, ...nodeOptions });
  client.on('error', throttled(options.onError ?? (() => undefined), client));
  return client;
}

/** How often the same connection error is reported again while it lasts (milliseconds). */
export const REPEATED_ERROR_INTERVAL_MS = 30_000;

function throttled(report: (error: Error) => void, client: RedisClient): (error: Error) => void {
  let last = '';
  let lastAt = 0;
  client.on('ready', () => (last = ''));
  return (error) => {
    const key = error.message || (error as NodeJS.ErrnoException).code || error.name;
    const now = Date.now();
    if (key === last && now - lastAt < REPEATED_ERROR_INTERVAL_MS) return;
    last = key;
    lastAt = now;
    report(error);
  };
}

function clusterClient(url: string, offlineQueue: boolean, nodeOptions: RedisOptions): Cluster {
  const seeds = url.split(',').map((part) => new URL(part.trim()));
  return new Cluster(seeds.map(nodeOf), {
    // Fail-fast is the cluster's own setting: its node connections start lazily and must queue the
    // first command that wakes them, or a producer's first write to a node would be refused.
    enableOfflineQueue: offlineQueue,
    clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
    redisOptions: { ...nodeOptions, ...credentialsOf(seeds[0]!) },
  });
}

function nodeOf(url: URL): ClusterNode {
  return { host: url.hostname, port: url.port ? Number(url.port) : 6379 };
}

function credentialsOf(url: URL): RedisOptions {
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
