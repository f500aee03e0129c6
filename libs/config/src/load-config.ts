import { hostname } from 'node:os';
import { envSchema } from './config';

/** The services' settings, read once at boot (SPEC §6). Frozen: nothing changes them at run time. */
export interface Config {
  instanceId: string;
  http: { port: number; host: string; trustProxy: boolean | number | string; maxBodyBytes: number; logRequests: boolean };
  redis: { url: string | undefined; prefix: string };
  store: { url: string };
  admin: { token: string | undefined };
  limits: { syncTimeoutMs: number; asyncTimeoutMs: number; maxPendingSync: number; maxQueueBacklog: number };
  worker: { concurrency: number; sandboxMemoryMb: number; fetchAllow: string[]; httpPort: number };
  processes: { resultLimit: number; retentionDays: number };
  log: { level: string };
  shutdownTimeoutMs: number;
}

/** Thrown by {@link loadConfig}; its message names every bad variable, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function trustProxyOf(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates the environment into a typed, nested, frozen {@link Config}. Empty strings count as unset.
 * Throws {@link ConfigError} naming every bad variable at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { requireRedis?: boolean } = {}): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (options.requireRedis && !present.REDIS_URL) problems.push('REDIS_URL: required (redis://host:6379)');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return deepFreeze({
    instanceId: e.INSTANCE_ID ?? `${hostname()}:${process.pid}`,
    http: { port: e.PORT, host: e.HOST, trustProxy: trustProxyOf(e.TRUST_PROXY), maxBodyBytes: e.MAX_BODY_BYTES, logRequests: e.LOG_REQUESTS },
    redis: { url: e.REDIS_URL, prefix: e.QUEUE_PREFIX },
    store: { url: e.STORE_URL },
    admin: { token: e.ADMIN_TOKEN },
    limits: {
      syncTimeoutMs: e.SYNC_TIMEOUT_MS,
      asyncTimeoutMs: e.ASYNC_TIMEOUT_MS,
      maxPendingSync: e.MAX_PENDING_SYNC,
      maxQueueBacklog: e.MAX_QUEUE_BACKLOG,
    },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      sandboxMemoryMb: e.SANDBOX_MEMORY_MB,
      fetchAllow: e.SCENARIO_FETCH_ALLOW.split(',').map((h) => h.trim()).filter(Boolean),
      httpPort: e.WORKER_HTTP_PORT,
    },
    processes: { resultLimit: e.PROCESS_RESULT_LIMIT, retentionDays: e.PROCESS_RETENTION_DAYS },
    log: { level: e.LOG_LEVEL },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  });
}

/** Like {@link loadConfig}, but also requires `REDIS_URL`, which both services need. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): Config & { redis: { url: string } } {
  return loadConfig(env, { requireRedis: true }) as Config & { redis: { url: string } };
}
