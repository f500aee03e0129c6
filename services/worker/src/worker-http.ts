import { createServer, type ServerResponse } from 'node:http';
import { listen } from '@webrequests/lifecycle';
import type { Registry } from 'prom-client';

/** What the worker's health listener serves. */
export interface WorkerHttpOptions {
  port: number;
  host: string;
  metrics: Registry;
  /** Each resolves when its dependency answers; `/readyz` names the ones that did not. */
  checks: { redis: () => Promise<unknown>; store: () => Promise<unknown> };
  /** How long a check may take before it counts as down (milliseconds); default 1000. */
  checkTimeoutMs?: number;
}

export interface WorkerHttp {
  /** The port it listens on (useful when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

function within(check: () => Promise<unknown>, timeoutMs: number): Promise<'ok' | 'down'> {
  return new Promise((resolve) => {
    // A worker's connections retry forever while Redis is gone, so a PING would wait, not fail.
    const timer = setTimeout(() => resolve('down'), timeoutMs);
    check().then(
      () => resolve('ok'),
      () => resolve('down'),
    ).finally(() => clearTimeout(timer));
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * The worker's own small HTTP listener (`WORKER_HTTP_PORT`): `GET /healthz` (the process is alive),
 * `GET /readyz` (Redis and the store answer; 503 naming what is down) and `GET /metrics` (Prometheus
 * text). A worker has no other HTTP surface, so this needs no framework.
 */
export async function startWorkerHttp(options: WorkerHttpOptions): Promise<WorkerHttp> {
  const timeoutMs = options.checkTimeoutMs ?? 1000;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'method_not_allowed', message: 'GET only' } });
    switch (path) {
      case '/healthz':
        return json(res, 200, { status: 'ok' });
      case '/readyz':
        return void Promise.all([within(options.checks.redis, timeoutMs), within(options.checks.store, timeoutMs)]).then(([redis, store]) =>
          json(res, redis === 'ok' && store === 'ok' ? 200 : 503, { redis, store }),
        );
      case '/metrics':
        return void options.metrics.metrics().then(
          (text) => res.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
          (error: unknown) => json(res, 500, { error: { code: 'internal', message: `metrics failed: ${String(error)}` } }),
        );
      default:
        return json(res, 404, { error: { code: 'not_found', message: 'no such route' } });
    }
  });
  const port = await listen(server, options.port, options.host, 'WORKER_HTTP_PORT');
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
