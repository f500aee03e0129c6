import { startTestStack, type TestStack } from '../test-support/harness';

const DEADLINE_MS = 1500;

interface ErrorAnswer {
  error: { code: string; message: string; processId?: string };
}

/** Sends a request and answers its status, parsed JSON body and how long the answer took. */
async function timed(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; elapsedMs: number; headers: Headers }> {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, elapsedMs: Date.now() - started, headers: response.headers };
}

describe('the sync deadline with a worker running', () => {
  let stack: TestStack;
  let normal: { url: string };

  beforeAll(async () => {
    // One sandbox thread: a follow-up request can only be served if the stuck thread was really replaced.
    stack = await startTestStack({ workers: 1, env: { SYNC_TIMEOUT_MS: String(DEADLINE_MS), WORKER_CONCURRENCY: '1', SANDBOX_MEMORY_MB: '32' } });
    normal = await stack.endpoint('deadline-normal', 'return { ok: true, n: Number(query.n) };');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The worker is the one started at the beginning, alive, and serves a normal request in good time. */
  async function expectSameWorkerServes(n: number): Promise<void> {
    const [worker] = stack.workers;
    expect(stack.workers).toHaveLength(1);
    expect(worker!.child.exitCode).toBeNull();
    expect(worker!.child.signalCode).toBeNull();
    const pid = worker!.child.pid;
    const answer = await timed(`${normal.url}?n=${n}`);
    expect(answer).toMatchObject({ status: 200, body: { ok: true, n } });
    expect(answer.elapsedMs).toBeLessThan(DEADLINE_MS);
    expect(worker!.child.pid).toBe(pid);
    expect(worker!.child.exitCode).toBeNull();
  }

  it.each([
    ['an endless loop', 'deadline-loop', "console.log('looping'); while (true) {}"],
    ['a promise that never settles', 'deadline-pending', "console.log('waiting'); await new Promise(() => {}); return { never: true };"],
    ['a sleep far past the deadline', 'deadline-sleep', "console.log('sleeping'); await sleep(1e9); return { never: true };"],
  ])('answers 504 at the deadline and kills %s; the record ends aborted', async (_what, urlId, source) => {
    const endpoint = await stack.endpoint(urlId, source);
    const answer = await timed(endpoint.url, { method: 'POST' });
    expect(answer.status).toBe(504);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 300);
    expect(answer.elapsedMs).toBeLessThan(5000);
    expect(answer.headers.get('x-request-id')).toMatch(/^\S+$/);
    // The caller's connection is closed with the 504, not kept alive for reuse.
    expect(answer.headers.get('connection')).toBe('close');
    const { error } = answer.body as ErrorAnswer;
    expect(error).toEqual({ code: 'timeout', message: expect.any(String), processId: expect.any(String) });

    const record = await stack.waitForProcess(error.processId!, undefined, 10_000);
    expect(record).toMatchObject({ status: 'aborted', output: null, error: { code: 'timeout' }, worker: 'worker-1' });
    // Killed at the deadline, not whenever the scenario would have ended (never).
    const lifetimeMs = Date.parse(String(record.finishedAt)) - Date.parse(String(record.createdAt));
    expect(lifetimeMs).toBeLessThan(DEADLINE_MS + 1500);
    // What the scenario logged before it was killed is kept.
    expect(record.logs).toEqual([expect.objectContaining({ message: expect.stringMatching(/^(looping|waiting|sleeping)$/) })]);

    await expectSameWorkerServes(Date.now());
  }, 30_000);

  it('counts the deadline from the request’s arrival, so time spent queued behind another job counts', async () => {
    // One sandbox thread: the second request waits ~900 ms for the first, then needs 900 ms more.
    const napper = await stack.endpoint('deadline-napper', "await sleep(900); console.log('woke', query.n); return { n: query.n };");
    const first = timed(`${napper.url}?n=1`);
    await new Promise((r) => setTimeout(r, 100));
    const second = await timed(`${napper.url}?n=2`);
    expect(await first).toMatchObject({ status: 200, body: { n: '1' } });
    expect(second.status).toBe(504);
    expect(second.elapsedMs).toBeLessThan(5000);
    const { error } = second.body as ErrorAnswer;
    const record = await stack.waitForProcess(error.processId!);
    expect(record).toMatchObject({ status: 'aborted', error: { code: 'timeout' }, output: null, logs: [] });

    await expectSameWorkerServes(3);
  }, 30_000);

  it('answers 500 scenario_failed for a memory bomb and the worker keeps serving', async () => {
    const bomb = await stack.endpoint('deadline-bomb', 'const hoard = []; for (;;) hoard.push(new Array(1e6).fill(hoard.length));');
    const answer = await timed(bomb.url, { method: 'POST' });
    expect(answer.status).toBe(500);
    const { error } = answer.body as ErrorAnswer;
    expect(error).toEqual({ code: 'scenario_failed', message: expect.stringMatching(/memory/i), processId: expect.any(String) });
    const record = await stack.waitForProcess(error.processId!);
    expect(record).toMatchObject({ status: 'failed', error: { code: 'scenario_failed' } });

    await expectSameWorkerServes(7);
  }, 30_000);
});

describe('the sync deadline while the job waits for a worker', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 0, env: { SYNC_TIMEOUT_MS: String(DEADLINE_MS) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 504 at the deadline and never starts the job once a worker comes', async () => {
    const endpoint = await stack.endpoint('deadline-queued', "console.log('side effect'); return { ran: true };");
    const answer = await timed(endpoint.url, { method: 'POST' });
    expect(answer.status).toBe(504);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 300);
    expect(answer.elapsedMs).toBeLessThan(5000);
    const { error } = answer.body as ErrorAnswer;
    expect(error).toMatchObject({ code: 'timeout', processId: expect.any(String) });

    expect(await stack.admin<Record<string, unknown>>('GET', `/processes/${error.processId}`)).toMatchObject({ status: 'queued' });
    await stack.addWorker();
    const record = await stack.waitForProcess(error.processId!);
    expect(record).toMatchObject({ status: 'aborted', output: null, startedAt: null, logs: [], error: { code: 'timeout' } });
    expect((record.error as { message: string }).message).toMatch(/deadline passed before a worker took/);

    // The new worker does run jobs whose deadline is still ahead.
    const fresh = await timed(endpoint.url, { method: 'POST' });
    expect(fresh).toMatchObject({ status: 200, body: { ran: true } });
  }, 30_000);
});
