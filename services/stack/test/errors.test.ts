import { spawn } from 'node:child_process';
import { obtainRedis, type LocalRedis } from '@webrequests/local-redis';
import { serviceMain } from '../src/child-service';
import { startTestStack, type TestStack } from '../test-support/harness';

const MAX_BODY = 16_384;

interface ErrorAnswer {
  error: { code: string; message: string; processId?: string };
}

/**
 * Checks the shape every error answer shares (SPEC §3): the status, JSON `{"error": {code, message,
 * processId?}}`, an `X-Request-Id`, and nothing that looks like a stack trace or a source path.
 */
async function expectError(response: Response, status: number, code: string): Promise<ErrorAnswer> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status} ${code}, got ${response.status}: ${text}`);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-request-id')).toMatch(/^\S+$/);
  expect(text).not.toContain('    at ');
  expect(text).not.toMatch(/\/(work|src|dist|node_modules)\/|\.(ts|js):\d+/);
  const body = JSON.parse(text) as ErrorAnswer;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({ code, message: expect.any(String), ...(body.error.processId ? { processId: expect.any(String) } : {}) });
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** Process records of one endpoint, to prove a refused request left none behind. */
async function processesOf(stack: TestStack, webrequestId: string): Promise<Array<Record<string, unknown>>> {
  const page = await stack.admin<{ items: Array<Record<string, unknown>> }>('GET', `/processes?webrequestId=${webrequestId}`);
  return page.items;
}

describe('the public endpoint answers each error of the table', () => {
  let stack: TestStack;
  let echo: { url: string; id: string };
  let slow: { url: string; id: string };

  beforeAll(async () => {
    stack = await startTestStack({ env: { MAX_BODY_BYTES: String(MAX_BODY), MAX_PENDING_SYNC: '1' } });
    echo = await stack.endpoint('err-echo', 'return { body, files: files.map((f) => f.filename) };');
    slow = await stack.endpoint('err-slow', 'await sleep(2500); return { slept: true };');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('404 not_found', () => {
    it('answers 404 for a urlId no endpoint has, echoing the caller’s X-Request-Id', async () => {
      const response = await fetch(`${stack.ingresses[0]}/api/webrequest/err-no-such-endpoint`, {
        method: 'POST',
        headers: { 'x-request-id': 'caller-req-404' },
      });
      const body = await expectError(response, 404, 'not_found');
      expect(response.headers.get('x-request-id')).toBe('caller-req-404');
      expect(body.error.processId).toBeUndefined();
    });

    it.each([
      ['a dot', 'err.echo'],
      ['a space', 'err%20echo'],
      ['an empty segment', 'err-echo//more'],
      ['a non-ASCII letter', 'err-%C3%A9cho'],
      ['no urlId at all', ''],
      ['more than 200 characters', 'a'.repeat(201)],
    ])('answers 404 for a urlId with %s', async (_what, urlId) => {
      const response = await fetch(`${stack.ingresses[0]}/api/webrequest/${urlId}`);
      await expectError(response, 404, 'not_found');
    });

    it('answers 404 for a disabled endpoint and starts no process', async () => {
      const disabled = await stack.endpoint('err-disabled', 'return { ran: true };', { status: 'disabled' });
      const response = await fetch(disabled.url, { method: 'POST' });
      await expectError(response, 404, 'not_found');
      expect(await processesOf(stack, disabled.id)).toEqual([]);
    });
  });

  describe('400 invalid_body', () => {
    it('answers 400 for malformed JSON and records no process', async () => {
      const before = await processesOf(stack, echo.id);
      const response = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order": 12,' });
      await expectError(response, 400, 'invalid_body');
      expect(await processesOf(stack, echo.id)).toEqual(before);
    });

    it('answers 400 for a multipart body whose content type has no boundary', async () => {
      const response = await fetch(echo.url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data' },
        body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
      });
      await expectError(response, 400, 'invalid_body');
    });

    it('answers 400 for a truncated multipart body', async () => {
      const truncated = '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhalf a fi';
      const response = await fetch(echo.url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
        body: truncated,
      });
      await expectError(response, 400, 'invalid_body');
    });

    it.each(['gzip', 'deflate', 'br'])('answers 400 for a body that does not decompress per Content-Encoding: %s', async (encoding) => {
      const response = await fetch(echo.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: `{"not": "${encoding}"}`,
      });
      await expectError(response, 400, 'invalid_body');
    });

    it('answers 400 for JSON nested thousands of levels deep, records no process, and still takes ordinary nesting', async () => {
      const before = await processesOf(stack, echo.id);
      const deep = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(5000) + ']'.repeat(5000) });
      const body = await expectError(deep, 400, 'invalid_body');
      expect(body.error.processId).toBeUndefined();
      expect(await processesOf(stack, echo.id)).toEqual(before);

      const nested = JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50)) as unknown;
      const ordinary = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(nested) });
      expect(ordinary.status).toBe(200);
      expect(await ordinary.json()).toEqual({ body: nested, files: [] });
    });

    it('still runs a well-formed multipart body on the same endpoint', async () => {
      const form = new FormData();
      form.append('name', 'Ada');
      form.append('file', new Blob(['hello']), 'hello.txt');
      const response = await fetch(echo.url, { method: 'POST', body: form });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ body: { name: 'Ada' }, files: ['hello.txt'] });
    });
  });

  describe('413 payload_too_large', () => {
    it('answers 413 for a body over MAX_BODY_BYTES and records no process', async () => {
      const before = await processesOf(stack, echo.id);
      const response = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(MAX_BODY + 1) });
      await expectError(response, 413, 'payload_too_large');
      expect(await processesOf(stack, echo.id)).toEqual(before);
    });

    it('accepts a body of exactly MAX_BODY_BYTES', async () => {
      const response = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'y'.repeat(MAX_BODY) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ body: 'y'.repeat(MAX_BODY), files: [] });
    });
  });

  describe('429 too_busy', () => {
    it('answers 429 with Retry-After while the one sync slot is held, and serves again once it is free', async () => {
      const held = fetch(slow.url, { method: 'POST' });
      // The slot is certainly held once the slow process runs.
      await waitFor(async () => (await processesOf(stack, slow.id)).some((p) => p.status === 'running'), 10_000);

      const refused = await fetch(slow.url, { method: 'POST' });
      const body = await expectError(refused, 429, 'too_busy');
      expect(body.error.processId).toBeUndefined();
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      // The limit is on waiting sync callers: an async request is still accepted.
      const asyncAnswer = await fetch(`${slow.url}?async=true`, { method: 'POST' });
      expect(asyncAnswer.status).toBe(200);

      const first = await held;
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ slept: true });
      const after = await fetch(echo.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"again":true}' });
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ body: { again: true }, files: [] });
      // Only the held sync request and the async one became processes; the refused one did not.
      await waitFor(async () => (await processesOf(stack, slow.id)).every((p) => p.status === 'completed'), 10_000);
      expect(await processesOf(stack, slow.id)).toHaveLength(2);
    }, 30_000);
  });

  describe('500 scenario_failed', () => {
    it('answers 500 with the process id when the scenario throws, and the record is failed with that error and its scenario line', async () => {
      const failing = await stack.endpoint('err-boom', "console.log('before the throw');\nfunction check() {\n  throw new Error('boom');\n}\ncheck();");
      const response = await fetch(failing.url, { method: 'POST' });
      const body = await expectError(response, 500, 'scenario_failed');
      expect(body.error.message).toBe('Error: boom (line 3, column 9)');
      expect(body.error.processId).toEqual(expect.any(String));

      const record = await stack.waitForProcess(body.error.processId!);
      expect(record).toMatchObject({ id: body.error.processId, webrequestId: failing.id, status: 'failed', output: null });
      // The record has the place again, and the scenario's own frames: no host path, no sandbox internal.
      expect(record.error).toEqual({
        code: 'scenario_failed',
        message: 'Error: boom (line 3, column 9)',
        line: 3,
        column: 9,
        stack: 'Error: boom\n    at check (line 3, column 9)\n    at line 5, column 1',
      });
      expect(JSON.stringify(record.error)).not.toMatch(/\/(work|src|dist|node_modules)\/|\.(ts|js)\b|CallSite|node:/);
      expect(record.logs).toEqual([expect.objectContaining({ message: 'before the throw' })]);
    });

    it('answers 500 when the scenario returns something that is not an object', async () => {
      const numeric = await stack.endpoint('err-number', 'return 42;');
      const response = await fetch(numeric.url);
      const body = await expectError(response, 500, 'scenario_failed');
      const record = await stack.waitForProcess(body.error.processId!);
      expect(record.status).toBe('failed');
    });
  });
});

describe('429 too_busy when the queue backlog is over its limit', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // No worker: the jobs stay waiting, so the backlog only grows until one is added.
    stack = await startTestStack({ workers: 0, env: { MAX_QUEUE_BACKLOG: '2' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses new work with 429 and Retry-After once the backlog is full, and takes it again once drained', async () => {
    const job = await stack.endpoint('err-backlog', 'return { n: query.n };');
    const accepted: string[] = [];
    let refused: Response | undefined;
    const until = Date.now() + 10_000;
    // The ingress reads the backlog periodically, not per request: keep sending until it notices.
    while (!refused && Date.now() < until) {
      const response = await fetch(`${job.url}?async=true&n=${accepted.length}`, { method: 'POST' });
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        accepted.push(response.headers.get('x-process-id')!);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(refused).toBeDefined();
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    const body = await expectError(refused!, 429, 'too_busy');
    expect(body.error.processId).toBeUndefined();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A sync caller is refused too: its job would only add to the backlog.
    await expectError(await fetch(job.url, { method: 'POST' }), 429, 'too_busy');
    expect(await processesOf(stack, job.id)).toHaveLength(accepted.length);

    await stack.addWorker();
    for (const id of accepted) expect(await stack.waitForProcess(id)).toMatchObject({ status: 'completed' });
    let again: Response | undefined;
    while (Date.now() < until + 10_000) {
      again = await fetch(`${job.url}?n=last`, { method: 'POST' });
      if (again.status !== 429) break;
      await again.text();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(again!.status).toBe(200);
    expect(await again!.json()).toEqual({ n: 'last' });
  }, 40_000);
});

describe('503 unavailable when Redis is gone', () => {
  let redis: LocalRedis;
  let stack: TestStack;

  beforeAll(async () => {
    redis = await obtainRedis({ log: () => {}, allowInstall: false });
    stack = await startTestStack({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('answers 503 quickly, accepts nothing, and /readyz says so', async () => {
    const endpoint = await stack.endpoint('err-unavailable', 'return { ok: true };');
    const healthy = await fetch(endpoint.url);
    expect(healthy.status).toBe(200);
    expect((await fetch(`${stack.ingresses[0]}/readyz`)).status).toBe(200);
    const acceptedBefore = await processesOf(stack, endpoint.id);
    expect(acceptedBefore).toHaveLength(1);

    await redis.stop();

    for (const query of ['', '?async=true']) {
      const started = Date.now();
      const response = await fetch(`${endpoint.url}${query}`, { method: 'POST', signal: AbortSignal.timeout(15_000) });
      const body = await expectError(response, 503, 'unavailable');
      // Nothing was accepted, so there is no process to name.
      expect(body.error.processId).toBeUndefined();
      expect(response.headers.get('x-process-id')).toBeNull();
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    // Nothing half-accepted: the refused requests left no process record.
    expect(await processesOf(stack, endpoint.id)).toEqual(acceptedBefore);

    const ready = await fetch(`${stack.ingresses[0]}/readyz`, { signal: AbortSignal.timeout(10_000) });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ redis: 'down', store: 'ok' });
  }, 40_000);
});

describe('bad configuration', () => {
  /** Runs a service's main with `env` and resolves its exit code and stderr; kills it if it lingers. */
  function runService(main: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }

  const badEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    REDIS_URL: process.env.TEST_REDIS_URL,
    STORE_URL: 'ftp://x',
    PORT: 'abc',
    SYNC_TIMEOUT_MS: '-1',
    WORKER_CONCURRENCY: 'many',
  });

  it.each([
    ['ingress', '@webrequests/ingress'],
    ['worker', '@webrequests/worker'],
  ] as const)('the %s exits non-zero with one error naming every bad variable', async (_name, pkg) => {
    const { code, stderr } = await runService(serviceMain(pkg), badEnv());
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    for (const name of ['PORT', 'SYNC_TIMEOUT_MS', 'STORE_URL', 'WORKER_CONCURRENCY']) expect(stderr).toContain(name);
    expect(stderr.match(/Invalid configuration/g)).toHaveLength(1);
    expect(stderr).not.toContain('    at ');
  });

  it('names a missing REDIS_URL along with the other bad variables', async () => {
    const { REDIS_URL: _omitted, ...env } = badEnv();
    const { code, stderr } = await runService(serviceMain('@webrequests/ingress'), env);
    expect(code).not.toBe(0);
    expect(stderr).toContain('REDIS_URL');
    expect(stderr).toContain('PORT');
    expect(stderr.match(/Invalid configuration/g)).toHaveLength(1);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
