import { findFreePort } from '@webrequests/local-redis';
import { startTestStack, type TestStack } from '../test-support/harness';
import { scrape, valueOf } from '../test-support/prometheus';

/**
 * End to end: `DELETE /api/admin/processes/:id` of a process that has not ended (SPEC §5: "a running
 * process is stopped first"). One worker with one sandbox thread, so the next request can only be served
 * once the stopped scenario's thread is really gone.
 */

interface ErrorAnswer {
  error: { code: string; message: string; processId?: string };
}

let stack: TestStack;
let workerHttp: string;
let quick: { url: string };

beforeAll(async () => {
  stack = await startTestStack({ workers: 0, env: { WORKER_CONCURRENCY: '1' } });
  const port = await findFreePort();
  await stack.addWorker({ WORKER_HTTP_PORT: String(port) });
  workerHttp = `http://127.0.0.1:${port}`;
  quick = await stack.endpoint('stop-quick', 'return { ok: true, n: Number(query.n) };');
});
afterAll(async () => {
  await stack?.stop();
});

async function deleteProcess(id: string): Promise<{ status: number; elapsedMs: number }> {
  const started = Date.now();
  const response = await fetch(`${stack.ingresses[0]}/api/admin/processes/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${stack.token}` },
  });
  await response.arrayBuffer();
  return { status: response.status, elapsedMs: Date.now() - started };
}

async function readStatus(id: string): Promise<number> {
  const response = await fetch(`${stack.ingresses[0]}/api/admin/processes/${id}`, { headers: { authorization: `Bearer ${stack.token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** The one process of an endpoint that is running, once there is one. */
async function runningProcessOf(webrequestId: string): Promise<string> {
  const until = Date.now() + 10_000;
  for (;;) {
    const page = await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${webrequestId}&status=running`);
    if (page.items.length === 1) return page.items[0]!.id;
    if (Date.now() > until) throw new Error('no running process');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The single sandbox thread is free again: a quick request is answered well within a second. */
async function expectWorkerServesAtOnce(): Promise<void> {
  const started = Date.now();
  const n = Date.now();
  const answer = await fetch(`${quick.url}?n=${n}`, { signal: AbortSignal.timeout(10_000) });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ ok: true, n });
  expect(Date.now() - started).toBeLessThan(1000);
}

it('stops an endless loop: DELETE answers once the thread is killed, the record is gone, and the worker serves the next request at once', async () => {
  const loop = await stack.endpoint('stop-loop', "console.log('spinning'); while (true) {}");
  const accepted = await fetch(`${loop.url}?async=true`, { method: 'POST' });
  const processId = accepted.headers.get('x-process-id')!;
  expect((await stack.waitForProcess(processId, (r) => r.status === 'running')).status).toBe('running');
  const before = await scrape(`${workerHttp}/metrics`);

  const deleted = await deleteProcess(processId);
  expect(deleted.status).toBe(204);
  // Answered once the worker recorded the stop, not after the 5 s the delete waits at most.
  expect(deleted.elapsedMs).toBeLessThan(2500);
  // By the time DELETE answered, the worker had killed the thread and recorded the process aborted.
  const stopped = await scrape(`${workerHttp}/metrics`);
  expect(valueOf(stopped, 'webrequests_sandbox_threads_killed_total') - valueOf(before, 'webrequests_sandbox_threads_killed_total')).toBe(1);
  expect(valueOf(stopped, 'webrequests_processes_total', { status: 'aborted' }) - valueOf(before, 'webrequests_processes_total', { status: 'aborted' })).toBe(1);
  expect(await readStatus(processId)).toBe(404);

  await expectWorkerServesAtOnce();
  const after = await scrape(`${workerHttp}/metrics`);
  expect(valueOf(after, 'webrequests_processes_total', { status: 'completed' }) - valueOf(before, 'webrequests_processes_total', { status: 'completed' })).toBe(1);
  expect(await deleteProcess(processId)).toMatchObject({ status: 404 });
}, 30_000);

it('answers a waiting sync caller at once when its running process is deleted, instead of at the deadline', async () => {
  const pending = await stack.endpoint('stop-sync', "console.log('waiting forever'); await new Promise(() => {});");
  const started = Date.now();
  const caller = fetch(pending.url, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  const processId = await runningProcessOf(pending.id);

  expect((await deleteProcess(processId)).status).toBe(204);
  const answer = await caller;
  const body = (await answer.json()) as ErrorAnswer;
  expect(answer.status).toBe(503);
  expect(body.error).toMatchObject({ code: 'aborted', processId, message: expect.stringContaining('stopped by an operator') });
  // The sync deadline is 60 s; the answer came with the stop.
  expect(Date.now() - started).toBeLessThan(5000);
  await expectWorkerServesAtOnce();
}, 30_000);

it('deletes a queued process so no worker runs it, and its waiting sync caller is told at once', async () => {
  const blocker = await stack.endpoint('stop-blocker', 'await sleep(1500); return { blocked: true };');
  const marker = await stack.endpoint('stop-marker', "console.log('the deleted process ran'); return { ran: true };");
  const blocking = fetch(blocker.url, { signal: AbortSignal.timeout(30_000) });
  await runningProcessOf(blocker.id);
  const before = await scrape(`${workerHttp}/metrics`);
  const caller = fetch(marker.url, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  // The only thread is busy, so the marker's job waits in the queue.
  let queuedId: string | undefined;
  for (const until = Date.now() + 5000; !queuedId && Date.now() < until; ) {
    const page = await stack.admin<{ items: Array<{ id: string; status: string }> }>('GET', `/processes?webrequestId=${marker.id}`);
    queuedId = page.items.find((p) => p.status === 'queued')?.id;
  }
  expect(queuedId).toBeDefined();

  const deleted = await deleteProcess(queuedId!);
  expect(deleted.status).toBe(204);
  expect(deleted.elapsedMs).toBeLessThan(1000);
  expect((await blocking).status).toBe(200);

  const answer = await caller;
  const body = (await answer.json()) as ErrorAnswer;
  expect(answer.status).toBe(503);
  expect(body.error).toMatchObject({ code: 'aborted', message: expect.stringContaining('deleted') });
  const after = await scrape(`${workerHttp}/metrics`);
  // The blocker completed; the deleted process never ran, so it was never counted as finished.
  expect(valueOf(after, 'webrequests_processes_total', { status: 'completed' }) - valueOf(before, 'webrequests_processes_total', { status: 'completed' })).toBe(1);
  expect(valueOf(after, 'webrequests_processes_total', { status: 'aborted' })).toBe(valueOf(before, 'webrequests_processes_total', { status: 'aborted' }));
  expect(await stack.admin<{ items: unknown[] }>('GET', `/processes?webrequestId=${marker.id}`)).toEqual({ items: [], nextCursor: null });
}, 30_000);
