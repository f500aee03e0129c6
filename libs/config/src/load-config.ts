import { hostname } from 'node:os';
import { envSchema, type Env } from './config';

/** The services' settings, read once at boot (SPEC §6). Frozen: nothing changes them at run time. */
export interface Config {
  instanceId: string;
  http: { port: number; metricsPort: number; host: string; trustProxy: boolean | number | string; maxBodyBytes: number; logRequests: boolean; requestTimeoutMs: number; maxConnections: number; publicUrl: string | undefined };
  /** `url` is one URL, or with `cluster` the comma-separated seed nodes of a Redis Cluster. */
  redis: { url: string | undefined; prefix: string; cluster: boolean; connectTimeoutMs: number };
  store: { url: string };
  admin: { token: string | undefined };
  /** SECRETS_KEY and SECRETS_KEY_OLD as given (text: a frozen config cannot hold a Buffer). */
  secrets: { key: string | undefined; oldKey: string | undefined };
  limits: { syncTimeoutMs: number; asyncTimeoutMs: number; maxPendingSync: number; maxQueueBacklog: number };
  worker: {
    concurrency: number;
    sandboxMemoryMb: number;
    fetchAllow: string[];
    /** Fetches one run may have in flight. */
    fetchConcurrency: number;
    /** Sandbox processes (see SANDBOX_PROCESSES); at most `concurrency`; 0: threads in the worker process. */
    sandboxProcesses: number;
    sandboxUser: string | undefined;
    /** Largest answer a scenario may give (bytes). */
    maxAnswerBytes: number;
    httpPort: number;
    lockDurationMs: number;
    stalledIntervalMs: number;
    reaperIntervalMs: number;
  };
  processes: { resultLimit: number; retentionDays: number };
  log: { level: string };
  shutdownTimeoutMs: number;
  /** CATALOG_DIR as given (the local stack's catalog folder); undefined: the shipped examples. */
  catalogDir: string | undefined;
  /** The ingress's drain delay after SIGTERM (SHUTDOWN_DELAY_MS). */
  shutdownDelayMs: number;
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

/** Checks that span several variables: how `REDIS_URL` and `QUEUE_PREFIX` fit `REDIS_CLUSTER`. */
function redisProblems(e: Env): string[] {
  const problems: string[] = [];
  if (!e.REDIS_CLUSTER && e.REDIS_URL?.includes(',')) {
    problems.push('REDIS_URL: several nodes are only allowed with REDIS_CLUSTER=true');
  }
  // BullMQ's scripts touch several keys of a queue at once, which a cluster allows only within one slot.
  if (e.REDIS_CLUSTER && !/\{[^}]+\}/.test(e.QUEUE_PREFIX)) {
    problems.push('QUEUE_PREFIX: must contain a hash tag such as {wr} on a Redis Cluster');
  }
  return problems;
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
  if (parsed.success) problems.push(...redisProblems(parsed.data));
  if (parsed.success && parsed.data.SECRETS_KEY_OLD && !parsed.data.SECRETS_KEY) problems.push('SECRETS_KEY_OLD: set only beside SECRETS_KEY (the new key)');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return deepFreeze({
    instanceId: e.INSTANCE_ID ?? `${hostname()}:${process.pid}`,
    http: { port: e.PORT, metricsPort: e.METRICS_PORT, host: e.HOST, trustProxy: trustProxyOf(e.TRUST_PROXY), maxBodyBytes: e.MAX_BODY_BYTES, logRequests: e.LOG_REQUESTS, requestTimeoutMs: e.REQUEST_TIMEOUT_MS, maxConnections: e.MAX_CONNECTIONS, publicUrl: e.PUBLIC_URL },
    redis: { url: e.REDIS_URL, prefix: e.QUEUE_PREFIX, cluster: e.REDIS_CLUSTER, connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS },
    store: { url: e.STORE_URL },
    admin: { token: e.ADMIN_TOKEN },
    secrets: { key: e.SECRETS_KEY, oldKey: e.SECRETS_KEY_OLD },
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
      fetchConcurrency: e.SCENARIO_FETCH_CONCURRENCY,
      sandboxProcesses: Math.min(e.SANDBOX_PROCESSES ?? e.WORKER_CONCURRENCY, e.WORKER_CONCURRENCY),
      sandboxUser: e.SANDBOX_USER,
      maxAnswerBytes: e.MAX_ANSWER_BYTES,
      httpPort: e.WORKER_HTTP_PORT,
      lockDurationMs: e.JOB_LOCK_MS,
      stalledIntervalMs: e.STALLED_INTERVAL_MS,
      reaperIntervalMs: e.REAPER_INTERVAL_MS,
    },
    processes: { resultLimit: e.PROCESS_RESULT_LIMIT, retentionDays: e.PROCESS_RETENTION_DAYS },
    log: { level: e.LOG_LEVEL },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? e.SHUTDOWN_DELAY_MS + e.SYNC_TIMEOUT_MS + 10_000,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    catalogDir: e.CATALOG_DIR,
  });
}

/** Like {@link loadConfig}, but also requires `REDIS_URL`, which both services need. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): Config & { redis: { url: string } } {
  return loadConfig(env, { requireRedis: true }) as Config & { redis: { url: string } };
}
