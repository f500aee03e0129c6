import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceMain, startService, type ChildService } from '../src/child-service';

/** A stack of real service processes for one test file, on its own queue prefix and SQLite file. */
export interface TestStack {
  /** Base URLs of the ingress processes, e.g. `http://127.0.0.1:40123`. */
  ingresses: string[];
  /** The `/metrics` URL of each ingress (its METRICS_PORT listener), in the order of `ingresses`. */
  metrics: string[];
  workers: ChildService[];
  services: ChildService[];
  token: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Calls the admin API of the first ingress; throws on a non-2xx answer. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Registers a scenario and an endpoint for it; answers the endpoint's URL. */
  endpoint(urlId: string, source: string, extra?: Record<string, unknown>): Promise<{ url: string; id: string; scriptId: string }>;
  /** Starts one more worker with the stack's environment. */
  addWorker(env?: NodeJS.ProcessEnv): Promise<ChildService>;
  /** Polls a process record until `done(record)` or the time is up. */
  waitForProcess(id: string, done?: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface StackOptions {
  ingresses?: number;
  workers?: number;
  env?: Record<string, string>;
}

/** Starts `ingresses` ingress and `workers` worker processes against the test Redis. */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (its global setup starts Redis)');
  const dir = mkdtempSync(join(tmpdir(), 'wr-stack-'));
  mkdirSync(join(dir, 'logs'));
  const token = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    REDIS_URL: redisUrl,
    STORE_URL: `sqlite:${join(dir, 'store.db')}`,
    ADMIN_TOKEN: token,
    QUEUE_PREFIX: `{t${randomBytes(4).toString('hex')}}`,
    PORT: '0',
    METRICS_PORT: '0',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // No load balancer to wait for; the drain has its own fault test.
    SHUTDOWN_DELAY_MS: '0',
    ...options.env,
  };
  const services: ChildService[] = [];
  const workers: ChildService[] = [];
  let counter = 0;
  const addWorker = async (extra: NodeJS.ProcessEnv = {}): Promise<ChildService> => {
    const name = `worker-${++counter}`;
    const worker = startService(name, serviceMain('@webrequests/worker'), { ...env, INSTANCE_ID: name, ...extra }, join(dir, 'logs', `${name}.log`));
    services.push(worker);
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const ingresses: string[] = [];
  const metrics: string[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(services.map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < (options.ingresses ?? 1); i++) {
      const ingress = startService(`ingress-${i}`, serviceMain('@webrequests/ingress'), { ...env, INSTANCE_ID: `ingress-${i}` }, join(dir, 'logs', `ingress-${i}.log`));
      services.push(ingress);
      const { port, metricsPort } = await ingress.ready;
      ingresses.push(`http://127.0.0.1:${port}`);
      metrics.push(`http://127.0.0.1:${metricsPort}/metrics`);
    }
    for (let i = 0; i < (options.workers ?? 1); i++) await addWorker();
  } catch (error) {
    await stop();
    throw error;
  }

  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${ingresses[0]}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const endpoint = async (urlId: string, source: string, extra: Record<string, unknown> = {}) => {
    const scenario = await admin<{ id: string }>('POST', '/scenarios', { name: urlId, source });
    const created = await admin<{ id: string }>('POST', '/webrequests', { name: urlId, urlId, scriptId: scenario.id, ...extra });
    return { url: `${ingresses[0]}/api/webrequest/${urlId}`, id: created.id, scriptId: scenario.id };
  };
  const waitForProcess = async (id: string, done = (r: Record<string, unknown>) => ['completed', 'failed', 'aborted'].includes(String(r.status)), timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const record = await admin<Record<string, unknown>>('GET', `/processes/${id}`);
      if (done(record) || Date.now() > until) return record;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { ingresses, metrics, workers, services, token, env, dir, admin, endpoint, addWorker, waitForProcess, stop };
}
