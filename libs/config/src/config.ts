import { parseSecretsKey } from '@webrequests/protection';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const REDIS_URL_FORM = /^rediss?:\/\/[^\s,]+$/;
const KEY_FORM = 'must be 32 bytes as 64 hex characters or base64 (openssl rand -base64 32)';
function isSecretsKey(value: string): boolean {
  try {
    parseSecretsKey(value);
    return true;
  } catch {
    return false;
  }
}
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every environment variable the services read, with its default. One line of doc each, with its unit.
 * Names are SPEC §6's.
 */
const envSchema = z.object({
  /** TCP port of the ingress HTTP listener. */
  PORT: int(0, 65535).default(8080),
  /** Address the ingress listens on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Redis for the queue and the result channel (`redis://…` or `rediss://…`). Required by the services.
   * With `REDIS_CLUSTER=true`, one or more comma-separated seed nodes of the cluster.
   */
  REDIS_URL: z
    .string()
    .refine(
      (value) => value.split(',').every((part) => REDIS_URL_FORM.test(part.trim())),
      'must be redis://host:port or rediss://host:port (comma-separated seed nodes only with REDIS_CLUSTER=true)',
    )
    .optional(),
  /**
   * How long a service keeps trying to reach Redis at start before it exits with a one-line error
   * (milliseconds). Once started, a service retries for as long as Redis is away.
   */
  REDIS_CONNECT_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /** Treat `REDIS_URL` as the seed nodes of a Redis Cluster (true/false). */
  REDIS_CLUSTER: bool.default(false),
  /** Where catalogs and process records live: `sqlite:<path>` or `mongodb://…`. */
  STORE_URL: z
    .string()
    .regex(/^(sqlite:|mongodb(\+srv)?:\/\/)/, 'must be sqlite:<path> or mongodb://…')
    .default('sqlite:./data/webrequests.db'),
  /** Bearer token of the admin API and dashboard; unset turns both off. At least 16 characters. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Deadline of a synchronous process, counted from the request's arrival (milliseconds). */
  SYNC_TIMEOUT_MS: int(100, 3_600_000).default(60_000),
  /** Deadline of an asynchronous process, counted from its acceptance (milliseconds). */
  ASYNC_TIMEOUT_MS: int(100, 7 * 86_400_000).default(86_400_000),
  /** Largest request body the public endpoint accepts (bytes). */
  MAX_BODY_BYTES: int(0, 64 * 1024 * 1024).default(1_048_576),
  /**
   * Longest the ingress waits to receive a whole request, headers and body (milliseconds): a body
   * dribbled slower is cut with 408 (Node's own default holds it 300 s). The wait for the answer is not
   * part of it.
   */
  REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  /** Connections one ingress holds at once; past it new connections are closed at once. */
  MAX_CONNECTIONS: int(1, 1_000_000).default(10_000),
  /** Sync requests one ingress holds open at once before answering 429 (count). */
  MAX_PENDING_SYNC: int(1, 1_000_000).default(2000),
  /** Jobs waiting in the queue before the ingress answers 429 (count). */
  MAX_QUEUE_BACKLOG: int(1, 100_000_000).default(100_000),
  /** Scenarios one worker process runs at once; each gets its own sandbox thread (count). */
  WORKER_CONCURRENCY: int(1, 256).default(8),
  /** Heap cap of one sandbox thread (megabytes). */
  SANDBOX_MEMORY_MB: int(16, 8192).default(128),
  /**
   * Sandbox processes one worker runs scenarios in (count); the worker's concurrency is shared among
   * them. Default: one per concurrent run (WORKER_CONCURRENCY), so a run's memory is its process's.
   * 0 runs scenarios in threads of the worker process itself, which holds the credentials: only for
   * measuring what the process boundary costs.
   */
  SANDBOX_PROCESSES: int(0, 256).optional(),
  /**
   * When the worker runs as root, the user its sandbox processes run as (a name or a numeric uid);
   * unset: the worker's own user.
   */
  SANDBOX_USER: z.string().min(1).optional(),
  /** Largest answer (output) a scenario may give, as JSON or bytes (bytes); over it the run fails. */
  MAX_ANSWER_BYTES: int(1024, 256 * 1024 * 1024).default(8 * 1024 * 1024),
  /** `fetch` calls one run may have in flight at once (count); more wait their turn. */
  SCENARIO_FETCH_CONCURRENCY: int(1, 1024).default(8),
  /** Prefix of every queue key; hash-tagged so Redis Cluster keeps a queue on one slot. */
  QUEUE_PREFIX: z.string().min(1).default('{wr}'),
  /** Largest input, output or logs kept in one process record, each (bytes of JSON). */
  PROCESS_RESULT_LIMIT: int(1024, 16 * 1024 * 1024).default(65_536),
  /** Process records older than this are deleted (days). */
  PROCESS_RETENTION_DAYS: int(1, 3650).default(30),
  /** Hosts a scenario's `fetch` may reach, comma-separated; empty turns `fetch` off. */
  SCENARIO_FETCH_ALLOW: z.string().default(''),
  /**
   * The service's public origin (`https://hooks.example.com`): a scenario's `url` starts with it,
   * whatever Host header a caller sends. Unset: see `url` in docs/scenarios.md.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://hooks.example.com' })
    .transform((value) => new URL(value).origin)
    .optional(),
  /** Express `trust proxy` setting: true/false, a hop count, or a list of addresses. */
  TRUST_PROXY: z.string().default('false'),
  /** winston level: error, warn, info, http, verbose, debug or silly. */
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  /**
   * Hard limit of a graceful shutdown (milliseconds). Default: the ingress's drain delay plus the sync
   * deadline plus 10 s, so that every sync request it holds is answered before it must exit.
   */
  SHUTDOWN_TIMEOUT_MS: int(100, 7_200_000).optional(),
  /**
   * How long the ingress keeps serving after SIGTERM with `/readyz` answering 503, so that a load
   * balancer stops sending before the listener closes (milliseconds).
   */
  SHUTDOWN_DELAY_MS: int(0, 600_000).default(5_000),
  /**
   * How often a worker looks for records whose job is gone from Redis (a restart without persistence)
   * and fails them with `job_lost` (milliseconds). One worker at a time does it.
   */
  REAPER_INTERVAL_MS: int(100, 3_600_000).default(30_000),
  /** This process's name in process records and logs; default `<hostname>:<pid>`. */
  INSTANCE_ID: z.string().min(1).optional(),
  /**
   * How long a worker's lock on a running job lasts before it must renew it (milliseconds). A worker
   * that dies holding jobs loses them to the others this long after its last renewal.
   */
  JOB_LOCK_MS: int(1000, 3_600_000).default(30_000),
  /** How often each worker looks for jobs whose lock expired and hands them over (milliseconds). */
  STALLED_INTERVAL_MS: int(500, 3_600_000).default(30_000),
  /** Port of the worker's health and metrics listener; 0 turns it off. */
  WORKER_HTTP_PORT: int(0, 65535).default(0),
  /**
   * Port of the ingress's Prometheus listener (`GET /metrics`), kept off the public port because it
   * names every endpoint; 0 picks a free port (the ingress logs it).
   */
  METRICS_PORT: int(0, 65535).default(9464),
  /**
   * Key that seals secret values in the store (AES-256-GCM): 32 bytes as 64 hex characters or base64.
   * Unset: secrets cannot be set, and a service refuses to start when the store holds any.
   */
  SECRETS_KEY: z.string().refine(isSecretsKey, KEY_FORM).optional(),
  /** The key before a rotation: secrets sealed with it still open until `catalog secrets reseal` runs. */
  SECRETS_KEY_OLD: z.string().refine(isSecretsKey, KEY_FORM).optional(),
  /**
   * The catalog folder `npm start` loads and `npm run dev` watches (scenarios/*.js and
   * webrequests.json); default the shipped examples/.
   */
  CATALOG_DIR: z.string().min(1).optional(),
  /** Whether the ingress logs every HTTP request, one JSON line each (true/false). */
  LOG_REQUESTS: bool.default(true),
});

export type Env = z.infer<typeof envSchema>;
export { envSchema };
