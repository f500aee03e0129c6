import { startTestStack, type TestStack } from '../test-support/harness';
import { adminCall, errorCodeOf, eventually, finishedLines, processesOf } from '../test-support/stack-probes';

/**
 * End to end: processes an operator starts (SPEC §5). A replay runs a recorded process again, async,
 * with the same input, as a new record naming the original (409 when the input was not kept whole). A
 * test run sends a described request, to the saved scenario or a draft, through the real queue and
 * sandbox, and answers what the caller would get with a record marked `test`, listed only on request.
 */

const LIMIT = 1024;

interface ProcessRecord {
  id: string;
  webrequestId: string;
  status: string;
  async: boolean;
  test?: boolean;
  replayOf?: string | null;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}
interface TestAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  process: ProcessRecord;
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ workers: 1, env: { PROCESS_RESULT_LIMIT: String(LIMIT) } });
});
afterAll(async () => {
  await stack?.stop();
});

/** A deterministic scenario: what it answers depends on its input alone. */
const ECHO = "return { method, url, query, t: headers['x-t'] ?? null, body, sum: (body.a ?? 0) + (body.b ?? 0), async: event.async };";

async function testRun(webrequestId: string, request: Record<string, unknown>): Promise<{ status: number; body: TestAnswer & { error?: { code: string; field?: string } } }> {
  return adminCall<TestAnswer & { error?: { code: string; field?: string } }>(stack, 'POST', `/webrequests/${webrequestId}/test`, request);
}

describe('replay', () => {
  let echo: { url: string; id: string };
  beforeAll(async () => {
    echo = await stack.endpoint('replay/echo', ECHO);
  });

  it('runs a completed sync process again, async, as a new record with the same input and output', async () => {
    const original = await fetch(`${echo.url}?x=1`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-t': 'tee' }, body: '{"a":2,"b":3}' });
    expect(original.status).toBe(200);
    const [recorded] = (await processesOf(stack, echo.id)) as unknown as ProcessRecord[];
    const done = (await stack.waitForProcess(recorded!.id)) as unknown as ProcessRecord;
    expect(done.output).toMatchObject({ sum: 5, t: 'tee', method: 'PUT' });

    const replay = await adminCall<ProcessRecord>(stack, 'POST', `/processes/${done.id}/replay`);
    expect(replay.status).toBe(201);
    expect(replay.body.id).not.toBe(done.id);
    expect(replay.body).toMatchObject({ replayOf: done.id, async: true, webrequestId: echo.id });
    expect(['queued', 'running', 'completed']).toContain(replay.body.status);
    expect(replay.body.input).toEqual(done.input);
    const finished = (await stack.waitForProcess(replay.body.id)) as unknown as ProcessRecord;
    expect(finished).toMatchObject({ status: 'completed', replayOf: done.id, async: true });
    expect(finished.output).toEqual(done.output);
    // Both ran on a worker: a `process finished` line for each record (written just after the record).
    const ran = (id: string) => finishedLines(stack, 'replay/echo').some((line) => line.processId === id);
    expect(await eventually(() => (ran(done.id) && ran(finished.id) ? true : undefined))).toBe(true);
    // A replay is an ordinary process: listed without asking for tests.
    expect((await processesOf(stack, echo.id)).map((r) => r.id)).toEqual(expect.arrayContaining([done.id, finished.id]));
  });

  it('replays a failed process too, failing again the same way', async () => {
    const failing = await stack.endpoint('replay/failing', "throw new Error('bad ' + body.n);");
    const answer = await fetch(failing.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":9}' });
    expect(answer.status).toBe(500);
    const processId = ((await answer.json()) as { error: { processId: string } }).error.processId;
    const replay = await stack.admin<ProcessRecord>('POST', `/processes/${processId}/replay`);
    expect(await stack.waitForProcess(replay.id)).toMatchObject({ status: 'failed', error: { code: 'scenario_failed', message: expect.stringContaining('bad 9') } });
  });

  it('answers 404 for a process that does not exist', async () => {
    const answer = await adminCall(stack, 'POST', '/processes/0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5d/replay');
    expect(answer.status).toBe(404);
    expect(errorCodeOf(answer.body)).toBe('not_found');
  });

  it(`answers 409 for a process whose input was over PROCESS_RESULT_LIMIT (${LIMIT}), and starts nothing`, async () => {
    const big = await fetch(`${echo.url}?async=true`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'z'.repeat(5 * 1024) });
    const processId = big.headers.get('x-process-id')!;
    const record = (await stack.waitForProcess(processId)) as unknown as ProcessRecord;
    expect(record.input).toMatchObject({ truncated: true });
    const before = (await processesOf(stack, echo.id)).length;
    const answer = await adminCall<{ error: { code: string; message: string } }>(stack, 'POST', `/processes/${processId}/replay`);
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toContain('PROCESS_RESULT_LIMIT');
    expect((await processesOf(stack, echo.id)).length).toBe(before);
  });
});

describe('test runs', () => {
  let echo: { url: string; id: string; scriptId: string };
  beforeAll(async () => {
    echo = await stack.endpoint('tests/echo', ECHO);
  });

  it('runs the saved scenario on the described request: method, path, query, headers and body reach it', async () => {
    const answer = await testRun(echo.id, { method: 'patch', path: '/items/7', query: { x: '1', list: ['a', 'b'] }, headers: { 'X-T': 'tee' }, body: { a: 1, b: 2 } });
    expect(answer.status).toBe(200);
    const { status, headers, body, bodyEncoding, process } = answer.body;
    expect({ status, bodyEncoding }).toEqual({ status: 200, bodyEncoding: 'utf8' });
    expect(String(headers['content-type'])).toMatch(/^application\/json/);
    const output = JSON.parse(body);
    expect(output).toEqual({
      method: 'PATCH',
      url: expect.stringMatching(/\/api\/webrequest\/tests\/echo\/items\/7\?x=1&list=a&list=b$/),
      query: { x: '1', list: ['a', 'b'] },
      t: 'tee',
      body: { a: 1, b: 2 },
      sum: 3,
      async: false,
    });
    expect(process).toMatchObject({ test: true, status: 'completed', webrequestId: echo.id, async: false, output });
    expect(await stack.admin('GET', `/processes/${process.id}`)).toMatchObject({ test: true, status: 'completed' });
  });

  it('sends a string body as text', async () => {
    const answer = await testRun(echo.id, { body: 'plain words' });
    expect(JSON.parse(answer.body.body)).toMatchObject({ method: 'POST', body: 'plain words' });
  });

  it('lists test runs only when asked for (test=true), and only them then', async () => {
    const run = (await testRun(echo.id, {})).body.process;
    const real = await fetch(echo.url);
    expect(real.status).toBe(200);
    const ordinary = (await processesOf(stack, echo.id)).map((r) => r.id);
    const tests = await processesOf(stack, echo.id, '&test=true');
    expect(ordinary).not.toContain(run.id);
    expect(ordinary.length).toBeGreaterThanOrEqual(1);
    expect(tests.map((r) => r.id)).toContain(run.id);
    expect(tests.every((r) => r.test === true)).toBe(true);
    expect(tests.map((r) => r.id).some((id) => ordinary.includes(id))).toBe(false);
  });

  it('runs a draft source instead of the saved one, which stays as it was for real requests', async () => {
    const saved = await stack.admin<{ source: string; updatedAt: string }>('GET', `/scenarios/${echo.scriptId}`);
    const draft = await testRun(echo.id, { source: "return { draft: true, a: body.a };", body: { a: 5 } });
    expect(draft.status).toBe(200);
    expect(JSON.parse(draft.body.body)).toEqual({ draft: true, a: 5 });
    expect(draft.body.process).toMatchObject({ test: true, status: 'completed', output: { draft: true, a: 5 } });
    expect(await stack.admin('GET', `/scenarios/${echo.scriptId}`)).toMatchObject({ source: saved.source, updatedAt: saved.updatedAt });
    const real = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":5}' });
    expect(await real.json()).toMatchObject({ sum: 5, method: 'POST' });
    expect(JSON.parse((await testRun(echo.id, { body: { a: 5 } })).body.body)).toMatchObject({ sum: 5 });
  });

  it('answers 400 naming field source for a draft with a syntax error, and runs nothing', async () => {
    const before = (await processesOf(stack, echo.id, '&test=true')).length;
    const answer = await testRun(echo.id, { source: 'return {' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ field: 'source' });
    expect((await processesOf(stack, echo.id, '&test=true')).length).toBe(before);
  });

  it.each([
    ['an unknown field', { nope: 1 }, 'nope'],
    ['a bad method', { method: 'GET POST' }, 'method'],
    ['a bad path', { path: '../etc' }, 'path'],
  ])('answers 400 naming the field for %s', async (_what, request, field) => {
    const answer = await testRun(echo.id, request);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ field });
  });

  it('answers 404 for an endpoint that does not exist', async () => {
    expect((await testRun('0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5d', {})).status).toBe(404);
  });

  it('answers what the caller would get: $status and $headers, a binary $body as base64', async () => {
    const source = "return { $status: 202, $headers: { 'X-Kind': 'bytes' }, $body: Buffer.from([0xff, 0x00, 0xfe, 0x41]) };";
    const answer = (await testRun(echo.id, { source })).body;
    expect(answer).toMatchObject({ status: 202, bodyEncoding: 'base64', body: Buffer.from([0xff, 0x00, 0xfe, 0x41]).toString('base64') });
    expect(answer.headers).toMatchObject({ 'x-kind': 'bytes', 'content-type': 'application/octet-stream' });
    expect(answer.process).toMatchObject({ test: true, status: 'completed' });
  });

  it('answers a throwing draft as the caller would hear it: status 500, scenario_failed, with the line', async () => {
    const answer = (await testRun(echo.id, { source: "const x = 1;\nthrow new TypeError('draft broke');" })).body;
    expect(answer.status).toBe(500);
    const body = JSON.parse(answer.body) as { error: { code: string; message: string; processId: string } };
    expect(body.error).toMatchObject({ code: 'scenario_failed', processId: answer.process.id });
    expect(body.error.message).toMatch(/draft broke.*line 2/);
    expect(answer.process).toMatchObject({ test: true, status: 'failed', error: { code: 'scenario_failed' } });
  });

  it('applies the endpoint’s timeoutMs: 504 timeout, the record aborted', async () => {
    const slow = await stack.endpoint('tests/slow', 'return {};', { timeoutMs: 500 });
    const started = Date.now();
    const answer = (await testRun(slow.id, { source: 'await sleep(3000); return {};' })).body;
    expect(Date.now() - started).toBeLessThan(2500);
    expect(answer.status).toBe(504);
    expect(errorCodeOf(JSON.parse(answer.body))).toBe('timeout');
    expect(await stack.waitForProcess(answer.process.id)).toMatchObject({ test: true, status: 'aborted' });
  });

  it('does not apply auth: a test run needs no credentials, while a real request without them is 401', async () => {
    await stack.admin('PUT', '/secrets/tests-token', { value: 'a-token-for-tests-only' });
    const guarded = await stack.endpoint('tests/guarded', "return { auth: event.auth ?? null, ok: true };", { auth: { type: 'bearer', secret: 'tests-token' } });
    const answer = (await testRun(guarded.id, {})).body;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true });
    const real = await fetch(guarded.url);
    expect(real.status).toBe(401);
    expect(errorCodeOf(await real.json())).toBe('unauthorized');
  });

  it('does not apply dedup nor maxConcurrent: every test run runs', async () => {
    const limited = await stack.endpoint('tests/limited', 'await sleep(300); return { n: Math.random() };', { maxConcurrent: 1, dedup: { key: 'header:X-Id', windowSeconds: 60 } });
    const answers = await Promise.all([1, 2, 3].map(() => testRun(limited.id, { headers: { 'X-Id': 'same' } })));
    expect(answers.map((a) => a.body.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.body)).size).toBe(3);
    expect(await processesOf(stack, limited.id, '&test=true')).toHaveLength(3);
  });

  it('replays a test run as a test run', async () => {
    const run = (await testRun(echo.id, { body: { a: 4, b: 4 } })).body.process;
    const replay = await stack.admin<ProcessRecord>('POST', `/processes/${run.id}/replay`);
    expect(replay).toMatchObject({ test: true, replayOf: run.id });
    expect(await stack.waitForProcess(replay.id)).toMatchObject({ status: 'completed', output: { sum: 8 } });
    expect((await processesOf(stack, echo.id)).map((r) => r.id)).not.toContain(replay.id);
  });
});
