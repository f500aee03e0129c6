import { findFreePort, obtainRedis, type LocalRedis } from '@webrequests/local-redis';
import { startTestStack, type TestStack } from '../test-support/harness';
import { scrape, valueOf, type Sample } from '../test-support/prometheus';

/**
 * End to end: Prometheus metrics of the ingress (`GET /metrics` on METRICS_PORT, never on the public
 * port) and of a worker (its own listener on
 * WORKER_HTTP_PORT, with /healthz and /readyz), scraped before and after real traffic.
 */

const DEADLINE_MS = 1500;

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json() };
}

function delta(after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}): number {
  return valueOf(after, name, labels) - valueOf(before, name, labels);
}

describe('metrics', () => {
  let stack: TestStack;
  let ingressMetrics: string;
  let worker: string;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 0, env: { SYNC_TIMEOUT_MS: String(DEADLINE_MS), WORKER_CONCURRENCY: '2' } });
    ingressMetrics = stack.metrics[0]!;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts the waiting jobs of the queue while no worker runs, and none once a worker took them', async () => {
    const queued = await stack.endpoint('metrics/queued', 'return { ok: true };');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fetch(`${queued.url}?async=1`, { method: 'POST' })).headers.get('x-process-id')!);
    const waiting = await scrape(ingressMetrics);
    expect(valueOf(waiting, 'webrequests_queue_jobs', { state: 'waiting' })).toBe(3);
    expect(valueOf(waiting, 'webrequests_queue_jobs', { state: 'active' })).toBe(0);

    const port = await findFreePort();
    await stack.addWorker({ WORKER_HTTP_PORT: String(port) });
    worker = `http://127.0.0.1:${port}`;
    for (const id of ids) expect((await stack.waitForProcess(id)).status).toBe('completed');
    const drained = await scrape(ingressMetrics);
    expect(valueOf(drained, 'webrequests_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(valueOf(drained, 'webrequests_http_requests_total', { url_id: 'metrics/queued', status: '200' })).toBe(3);
  }, 30_000);

  it('counts and times the ingress’s requests by endpoint and status, unknown URLs under one label', async () => {
    const ok = await stack.endpoint('metrics/ok', 'await sleep(30); return { ok: true };');
    const failing = await stack.endpoint('metrics/fail', "throw new Error('no');");
    const before = await scrape(ingressMetrics);
    for (let i = 0; i < 3; i++) expect((await fetch(ok.url)).status).toBe(200);
    expect((await fetch(failing.url)).status).toBe(500);
    for (const path of ['nope/one', 'nope/two']) expect((await fetch(`${stack.ingresses[0]}/api/webrequest/${path}`)).status).toBe(404);
    const after = await scrape(ingressMetrics);

    expect(delta(after, before, 'webrequests_http_requests_total', { url_id: 'metrics/ok', status: '200' })).toBe(3);
    expect(delta(after, before, 'webrequests_http_requests_total', { url_id: 'metrics/fail', status: '500' })).toBe(1);
    expect(delta(after, before, 'webrequests_http_requests_total', { url_id: '(unknown)', status: '404' })).toBe(2);
    expect(after.some((s) => s.labels.url_id?.startsWith('nope'))).toBe(false);

    const okLabels = { url_id: 'metrics/ok', status: '200' };
    expect(delta(after, before, 'webrequests_http_request_duration_seconds_count', okLabels)).toBe(3);
    expect(delta(after, before, 'webrequests_http_request_duration_seconds_bucket', { ...okLabels, le: '+Inf' })).toBe(3);
    // Each took at least the scenario's 30 ms sleep, and none can be in a bucket under it.
    expect(delta(after, before, 'webrequests_http_request_duration_seconds_sum', okLabels)).toBeGreaterThanOrEqual(0.09);
    expect(delta(after, before, 'webrequests_http_request_duration_seconds_bucket', { ...okLabels, le: '0.025' })).toBe(0);
  });

  it('exposes Node’s default metrics on the ingress and on the worker', async () => {
    for (const url of [ingressMetrics, `${worker}/metrics`]) {
      const names = new Set((await scrape(url)).map((s) => s.name));
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
        expect({ url, name, present: names.has(name) }).toEqual({ url, name, present: true });
      }
    }
  });

  it('counts the worker’s processes by final status, times its scenarios and counts the sandbox threads it killed', async () => {
    const done = await stack.endpoint('metrics/done', 'await sleep(120); return { ok: true };');
    const thrown = await stack.endpoint('metrics/thrown', "throw new Error('no');");
    const stuck = await stack.endpoint('metrics/stuck', 'while (true) {}');
    const before = await scrape(`${worker}/metrics`);
    expect((await fetch(done.url)).status).toBe(200);
    expect((await fetch(done.url)).status).toBe(200);
    expect((await fetch(thrown.url)).status).toBe(500);
    expect((await fetch(stuck.url)).status).toBe(504);
    // The 504 answer and the worker's record of the kill are not ordered: wait for the record.
    const [killed] = (await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${stuck.id}`)).items;
    expect((await stack.waitForProcess(killed!.id)).status).toBe('aborted');
    const after = await scrape(`${worker}/metrics`);

    expect(delta(after, before, 'webrequests_processes_total', { status: 'completed' })).toBe(2);
    expect(delta(after, before, 'webrequests_processes_total', { status: 'failed' })).toBe(1);
    expect(delta(after, before, 'webrequests_processes_total', { status: 'aborted' })).toBe(1);
    expect(delta(after, before, 'webrequests_sandbox_threads_killed_total')).toBe(1);
    expect(delta(after, before, 'webrequests_scenario_duration_seconds_count', { status: 'completed' })).toBe(2);
    expect(delta(after, before, 'webrequests_scenario_duration_seconds_sum', { status: 'completed' })).toBeGreaterThanOrEqual(0.24);
    expect(delta(after, before, 'webrequests_scenario_duration_seconds_bucket', { status: 'completed', le: '0.1' })).toBe(0);
    expect(delta(after, before, 'webrequests_scenario_duration_seconds_count', { status: 'aborted' })).toBe(1);
    expect(delta(after, before, 'webrequests_scenario_duration_seconds_sum', { status: 'aborted' })).toBeGreaterThanOrEqual((DEADLINE_MS - 500) / 1000);
  }, 30_000);

  it('answers the worker’s /healthz and /readyz while Redis and the store are up, and 404 elsewhere', async () => {
    expect(await getJson(`${worker}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${worker}/readyz`)).toEqual({ status: 200, body: { redis: 'ok', store: 'ok' } });
    expect((await getJson(`${worker}/nothing`)).status).toBe(404);
  });

  it('serves metrics on METRICS_PORT only: the public port answers 404 and names no endpoint', async () => {
    await stack.endpoint('metrics/hidden-capability-url', 'return { ok: true };');
    await fetch(`${stack.ingresses[0]}/api/webrequest/metrics/hidden-capability-url`, { method: 'POST' });
    const publicAnswer = await fetch(`${stack.ingresses[0]}/metrics`);
    expect(publicAnswer.status).toBe(404);
    expect(await publicAnswer.text()).not.toContain('hidden-capability-url');
    expect(new URL(stack.metrics[0]!).port).not.toBe(new URL(stack.ingresses[0]!).port);
    expect(await (await fetch(stack.metrics[0]!)).text()).toContain('url_id="metrics/hidden-capability-url"');
  });
});

describe('readiness when Redis is gone', () => {
  let redis: LocalRedis;
  let stack: TestStack;
  let worker: string;

  beforeAll(async () => {
    redis = await obtainRedis({ log: () => {}, allowInstall: false });
    stack = await startTestStack({ workers: 0, env: { REDIS_URL: redis.url } });
    const port = await findFreePort();
    await stack.addWorker({ WORKER_HTTP_PORT: String(port) });
    worker = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('answers 503 naming Redis on the worker’s and the ingress’s /readyz, within seconds, while /healthz stays 200', async () => {
    expect((await getJson(`${worker}/readyz`)).status).toBe(200);
    expect((await getJson(`${stack.ingresses[0]}/readyz`)).status).toBe(200);
    await redis.stop();

    const started = Date.now();
    expect(await getJson(`${worker}/readyz`)).toEqual({ status: 503, body: { redis: 'down', store: 'ok' } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await getJson(`${stack.ingresses[0]}/readyz`)).toEqual({ status: 503, body: { redis: 'down', store: 'ok' } });
    expect(await getJson(`${worker}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    // Metrics still answer (the queue counts keep their last values) so the outage can be watched.
    expect((await fetch(stack.metrics[0]!)).status).toBe(200);
    expect((await fetch(`${worker}/metrics`)).status).toBe(200);
  }, 30_000);
});
