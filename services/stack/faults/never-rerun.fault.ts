import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestStack, type TestStack } from '../test-support/harness';
import { allProcesses, countedSource, send, startRunCounter, type RunCounter } from './fault-support';

/**
 * SPEC §8 "A run is not repeated without cause": a process deleted while queued never runs, even on a
 * worker that starts afterwards (the abort order used to live only in the memory of the workers up at
 * the time), and a job delivered again for a record that is already final is not run again.
 */
describe('a deleted or finished process never runs (again)', () => {
  let stack: TestStack;
  let counter: RunCounter;
  let queue: Queue;
  let connection: Redis;

  beforeAll(async () => {
    counter = await startRunCounter();
    // No worker yet: every request stays queued until the test adds one.
    stack = await startTestStack({ workers: 0, env: { SCENARIO_FETCH_ALLOW: `127.0.0.1:${counter.port}` } });
    connection = new Redis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
    queue = new Queue('webrequests', { connection, prefix: stack.env.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await stack?.stop();
    await counter?.close();
  });

  it('deleting queued processes (async and sync) takes their jobs out: a worker started later runs none, and the sync caller hears aborted', async () => {
    const { url } = await stack.endpoint('deleted-while-queued', countedSource(counter.port));
    const asyncSent = await Promise.all(['d1', 'd2', 'd3'].map((token) => send(url, token, true)));
    expect(asyncSent.map((s) => s.status)).toEqual([200, 200, 200]);
    const syncAnswer = send(url, 'd-sync', false);
    // The sync request's record exists once it is accepted.
    let syncId: string | undefined;
    for (let i = 0; i < 100 && !syncId; i++) {
      const page = await stack.admin<{ items: Array<{ id: string; input: { query: { t: string } } }> }>('GET', '/processes?status=queued&limit=50');
      syncId = page.items.find((row) => row.input.query.t === 'd-sync')?.id;
      if (!syncId) await sleep(50);
    }
    expect(syncId).toBeDefined();

    for (const id of [...asyncSent.map((s) => s.processId!), syncId!]) {
      const response = await fetch(`${stack.ingresses[0]}/api/admin/processes/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.token}` } });
      expect(response.status).toBe(204);
    }
    const sync = await syncAnswer;
    expect([sync.status, (sync.body as { error: { code: string } }).error.code]).toEqual([503, 'aborted']);

    await stack.addWorker();
    // Time for the new worker to take anything still queued.
    await sleep(2000);
    expect(Object.fromEntries(counter.runs)).toEqual({});
    expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it('a job delivered again for a completed record is skipped: the scenario runs once, attempts stays 1', async () => {
    const { url, id: webrequestId } = await stack.endpoint('delivered-twice', countedSource(counter.port));
    if (stack.workers.length === 0) await stack.addWorker();
    const first = await send(url, 'twice', false);
    expect([first.status, first.body]).toEqual([200, { token: "twice" }]);
    expect(counter.runs.get('twice')).toBe(1);
    const processId = (await allProcesses(stack, webrequestId)).find((row) => row.input?.query?.t === 'twice')!.id;
    // The answer is published before the worker hands the job back to BullMQ.
    let job = await queue.getJob(processId);
    for (let i = 0; i < 100 && (await job?.getState()) !== 'completed'; i++) {
      await sleep(20);
      job = await queue.getJob(processId);
    }
    expect(await job!.getState()).toBe('completed');
    // What a Redis restart or a lost lock does: the same job is handed to a worker once more.
    await job!.retry('completed');
    const until = Date.now() + 10_000;
    while ((await job!.getState()) !== 'completed' && Date.now() < until) await sleep(50);
    expect(await job!.getState()).toBe('completed');
    expect(counter.runs.get('twice')).toBe(1);
    const record = await stack.admin<{ status: string; attempts: number }>('GET', `/processes/${processId}`);
    expect([record.status, record.attempts]).toEqual(['completed', 1]);
  });
});
