import { createRedisConnection } from '@webrequests/queue';
import { SqliteStore } from '@webrequests/store';
import { WorkerMetrics, startWorkerHttp, type WorkerHttp } from '@webrequests/worker';

/**
 * The worker's health and metrics listener with real parts: the test Redis and a SQLite store that is
 * then closed, as a store that went away would be. (Redis going away is covered end to end in
 * services/stack/test/metrics.test.ts.)
 */

const redis = createRedisConnection(process.env.TEST_REDIS_URL!, 'worker');
const store = new SqliteStore(':memory:');
let killed = 0;
const metrics = new WorkerMetrics(() => killed);
let http: WorkerHttp;
let base: string;

beforeAll(async () => {
  http = await startWorkerHttp({ port: 0, host: '127.0.0.1', metrics: metrics.registry, checks: { redis: () => redis.ping(), store: () => store.ping() } });
  base = `http://127.0.0.1:${http.port}`;
});
afterAll(async () => {
  await http?.close();
  await redis.quit();
});

async function metricLine(name: string): Promise<string | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text.split('\n').find((line) => line.startsWith(name));
}

it('reports processes and scenario time as the runner tells it, and the sandbox’s kills as they grow', async () => {
  expect(await metricLine('webrequests_processes_total{status="failed"}')).toBe('webrequests_processes_total{status="failed"} 0');
  metrics.processFinished('failed', 1500);
  metrics.processFinished('completed', 20);
  metrics.processFinished('aborted', null);
  expect(await metricLine('webrequests_processes_total{status="failed"}')).toBe('webrequests_processes_total{status="failed"} 1');
  expect(await metricLine('webrequests_processes_total{status="aborted"}')).toBe('webrequests_processes_total{status="aborted"} 1');
  expect(await metricLine('webrequests_scenario_duration_seconds_sum{status="failed"}')).toBe('webrequests_scenario_duration_seconds_sum{status="failed"} 1.5');
  // An aborted process that never ran has no run time to observe.
  expect(await metricLine('webrequests_scenario_duration_seconds_count{status="aborted"}')).toBeUndefined();

  expect(await metricLine('webrequests_sandbox_threads_killed_total')).toBe('webrequests_sandbox_threads_killed_total 0');
  killed = 3;
  expect(await metricLine('webrequests_sandbox_threads_killed_total')).toBe('webrequests_sandbox_threads_killed_total 3');
  killed = 4;
  expect(await metricLine('webrequests_sandbox_threads_killed_total')).toBe('webrequests_sandbox_threads_killed_total 4');
});

it('counts store operations by Store method', async () => {
  metrics.storeOperation('processState');
  metrics.storeOperation('finishProcess');
  metrics.storeOperation('finishProcess');
  expect(await metricLine('webrequests_store_operations_total{operation="processState"}')).toBe('webrequests_store_operations_total{operation="processState"} 1');
  expect(await metricLine('webrequests_store_operations_total{operation="finishProcess"}')).toBe('webrequests_store_operations_total{operation="finishProcess"} 2');
});

it('answers /readyz 200 while Redis and the store answer, then 503 naming the store once it is gone, while /healthz stays 200', async () => {
  const ready = await fetch(`${base}/readyz`);
  expect([ready.status, await ready.json()]).toEqual([200, { redis: 'ok', store: 'ok' }]);
  await store.close();
  const down = await fetch(`${base}/readyz`);
  expect([down.status, await down.json()]).toEqual([503, { redis: 'ok', store: 'down' }]);
  const alive = await fetch(`${base}/healthz`);
  expect([alive.status, await alive.json()]).toEqual([200, { status: 'ok' }]);
  expect((await fetch(`${base}/readyz`, { method: 'POST' })).status).toBe(405);
});
