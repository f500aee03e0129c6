import { startTestStack, type TestStack } from '../test-support/harness';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Sends an async request and checks the immediate answer: 200, empty body, a process id. */
async function sendAsync(url: string, init: RequestInit = {}): Promise<{ processId: string; elapsedMs: number; requestId: string | null }> {
  const started = Date.now();
  const response = await fetch(url, init);
  const text = await response.text();
  const elapsedMs = Date.now() - started;
  expect(response.status).toBe(200);
  expect(text).toBe('');
  const processId = response.headers.get('x-process-id');
  expect(processId).toMatch(/^\S+$/);
  return { processId: processId!, elapsedMs, requestId: response.headers.get('x-request-id') };
}

describe('async requests with workers running', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 1 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers at once while the scenario sleeps, and the record ends completed with output, logs and timings', async () => {
    const sleeper = await stack.endpoint(
      'async-sleeper',
      "console.log('started', body.n); await sleep(3000); console.info('woke'); return { doubled: body.n * 2, async: event.async };",
    );
    const { processId, elapsedMs } = await sendAsync(`${sleeper.url}?async=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 21 }),
    });
    // The scenario sleeps 3 s: an answer this early cannot have waited for it.
    expect(elapsedMs).toBeLessThan(1500);

    const early = await stack.admin<Record<string, unknown>>('GET', `/processes/${processId}`);
    expect(early).toMatchObject({ id: processId, webrequestId: sleeper.id, scriptId: sleeper.scriptId, async: true, output: null, finishedAt: null });
    expect(['queued', 'running']).toContain(early.status);

    const record = await stack.waitForProcess(processId);
    expect(record).toMatchObject({ status: 'completed', error: null, output: { doubled: 42, async: true }, worker: 'worker-1' });
    expect(record.logs).toEqual([
      expect.objectContaining({ level: 'log', message: 'started 21' }),
      expect.objectContaining({ level: 'info', message: 'woke' }),
    ]);
    expect(record.startedAt).toMatch(ISO);
    expect(record.finishedAt).toMatch(ISO);
    const createdAt = Date.parse(String(record.createdAt));
    const startedAt = Date.parse(String(record.startedAt));
    const finishedAt = Date.parse(String(record.finishedAt));
    expect(startedAt).toBeGreaterThanOrEqual(createdAt);
    expect(finishedAt - startedAt).toBeGreaterThanOrEqual(3000);
    expect(record.durationMs).toBeGreaterThanOrEqual(3000);
    expect(record.durationMs).toBeLessThanOrEqual(finishedAt - startedAt + 5);
  }, 30_000);

  it('treats async=1 as async too, and without the flag the caller waits for the output', async () => {
    const mode = await stack.endpoint('async-mode', 'return { async: event.async, q: query.async ?? null };');
    const { processId } = await sendAsync(`${mode.url}?async=1`);
    const record = await stack.waitForProcess(processId);
    expect(record).toMatchObject({ status: 'completed', async: true, output: { async: true, q: '1' } });

    const sync = await fetch(`${mode.url}?async=false`);
    expect(sync.status).toBe(200);
    expect(sync.headers.get('x-process-id')).toBeNull();
    expect(await sync.json()).toEqual({ async: false, q: 'false' });
  });

  it('ends a throwing async scenario failed with its error, though the caller got 200', async () => {
    const thrower = await stack.endpoint('async-thrower', "console.warn('about to fail'); await sleep(100); throw new TypeError('async boom ' + body.id);");
    const { processId } = await sendAsync(`${thrower.url}?async=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=17',
    });
    const record = await stack.waitForProcess(processId);
    expect(record).toMatchObject({ status: 'failed', output: null, error: { code: 'scenario_failed', message: expect.stringContaining('async boom 17') } });
    // Only the scenario's own frames: no host path or sandbox internal.
    expect(JSON.stringify(record.error)).not.toMatch(/\/(work|src|dist|node_modules)\/|\.(ts|js)\b|CallSite|node:/);
    expect(record.logs).toEqual([expect.objectContaining({ level: 'warn', message: 'about to fail' })]);
    expect(record.finishedAt).toMatch(ISO);
  });

  it('gives every async request its own process, each run with its own input', async () => {
    const echo = await stack.endpoint('async-echo', 'await sleep(50); return { n: body.n };');
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        sendAsync(`${echo.url}?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) }),
      ),
    );
    expect(new Set(sent.map((s) => s.processId)).size).toBe(20);
    const records = await Promise.all(sent.map((s) => stack.waitForProcess(s.processId)));
    records.forEach((record, n) => expect(record).toMatchObject({ status: 'completed', output: { n } }));
  }, 30_000);
});

describe('async requests with no worker running yet', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts the request as queued, and a worker started later runs it to completion', async () => {
    const endpoint = await stack.endpoint('async-later', "console.log('ran for', query.who); return { hello: query.who };");
    const { processId, requestId } = await sendAsync(`${endpoint.url}?async=true&who=later`);

    const queued = await stack.admin<Record<string, unknown>>('GET', `/processes/${processId}`);
    expect(queued).toMatchObject({ id: processId, status: 'queued', async: true, startedAt: null, finishedAt: null, output: null, logs: [] });
    expect(queued.requestId).toBe(requestId);
    // No worker, so nothing may start it however long it waits.
    await new Promise((r) => setTimeout(r, 500));
    expect((await stack.admin<Record<string, unknown>>('GET', `/processes/${processId}`)).status).toBe('queued');

    const worker = await stack.addWorker();
    const record = await stack.waitForProcess(processId);
    expect(record).toMatchObject({ status: 'completed', output: { hello: 'later' }, worker: worker.name, error: null });
    expect(record.logs).toEqual([expect.objectContaining({ message: 'ran for later' })]);
  }, 30_000);
});
