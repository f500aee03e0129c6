import { createHash, randomUUID } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * End to end: how a scenario's output variables become the HTTP answer (SPEC §3 "Synchronous
 * response"): `$status`, `$headers`, `$body`, the default JSON body, and the errors of a bad output.
 */

/** A 1×1 transparent PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let stack: TestStack;
let counter = 0;

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
});

afterAll(async () => {
  await stack?.stop();
});

/** Registers `source` under a fresh urlId and answers the endpoint's URL. */
async function scenario(source: string): Promise<string> {
  return (await stack.endpoint(`shape-${++counter}`, source)).url;
}

/** A raw HTTP/1.1 GET over a keep-alive connection, so connection-level headers can be seen as sent. */
function rawGet(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const agent = new Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        agent.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      agent.destroy();
      reject(error);
    });
    req.end();
  });
}

async function expectScenarioFailed(response: Response, mentions: string | RegExp): Promise<void> {
  expect(response.status).toBe(500);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const { error } = (await response.json()) as { error: { code: string; message: string; processId?: string } };
  expect(error.code).toBe('scenario_failed');
  expect(error.message).toMatch(mentions);
  expect(error.processId).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.stringify(error)).not.toMatch(/\n\s+at /);
}

describe('$status', () => {
  it('answers the $status a scenario sets, with the JSON of its other variables', async () => {
    const url = await scenario("return { $status: 201, created: true, id: 'r-1' };");
    const response = await fetch(url, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ created: true, id: 'r-1' });
  });

  it('answers a 302 redirect with the Location header from $headers', async () => {
    const url = await scenario("return { $status: 302, $headers: { Location: 'https://example.com/next?x=1' }, $body: null };");
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.com/next?x=1');
  });

  it('answers 200 when $status is not set', async () => {
    const url = await scenario("return { ok: 'yes' };");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: 'yes' });
  });

  it.each([
    ['700', '700'],
    ['600', '600'],
    ['99', '99'],
    ['100', '100'],
    ['101', '101'],
    ['199', '199'],
    ["'abc'", '"abc"'],
    ["'201'", '"201"'],
    ['99.5', '99.5'],
    ['200.5', '200.5'],
  ])('fails with 500 scenario_failed when $status is %s', async (value, shown) => {
    const url = await scenario(`return { $status: ${value}, a: 1 };`);
    await expectScenarioFailed(await fetch(url), new RegExp(`\\$status.*${shown.replace('.', '\\.')}`));
  });
});

describe('$headers', () => {
  it('sends custom headers from $headers', async () => {
    const url = await scenario("return { $headers: { 'Access-Control-Allow-Origin': '*', 'X-Custom': 'value 1', 'X-Number': 42 }, a: 1 };");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-custom')).toBe('value 1');
    expect(response.headers.get('x-number')).toBe('42');
    expect(await response.json()).toEqual({ a: 1 });
  });

  it('sends each element of a Set-Cookie array as its own header', async () => {
    const url = await scenario("return { $headers: { 'Set-Cookie': ['a=1; Path=/', 'b=two; HttpOnly; SameSite=Lax'] } };");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=two; HttpOnly; SameSite=Lax']);
  });

  it('lets $headers override the Content-Type of the body', async () => {
    const url = await scenario("return { $headers: { 'content-type': 'text/csv; charset=utf-8' }, $body: 'a,b\\n1,2\\n' };");
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await response.text()).toBe('a,b\n1,2\n');
  });

  it('ignores hop-by-hop headers (Connection, Transfer-Encoding, Content-Length, Keep-Alive) and keeps the rest', async () => {
    const url = await scenario(`return {
      $headers: { Connection: 'close', 'Transfer-Encoding': 'chunked', 'Content-Length': '999', 'Keep-Alive': 'timeout=1', Upgrade: 'websocket', 'X-Kept': 'yes' },
      $body: 'hello',
    };`);
    const response = await rawGet(url);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello');
    expect(response.headers['content-length']).toBe('5');
    expect(response.headers['transfer-encoding']).toBeUndefined();
    expect(response.headers.connection).toBe('keep-alive');
    expect(response.headers['keep-alive']).not.toBe('timeout=1');
    expect(response.headers.upgrade).toBeUndefined();
    expect(response.headers['x-kept']).toBe('yes');
  });

  it('fails with 500 scenario_failed naming an invalid header name', async () => {
    const url = await scenario("return { $headers: { 'Bad Header': 'x' }, a: 1 };");
    await expectScenarioFailed(await fetch(url), /Bad Header/);
  });

  it('fails with 500 scenario_failed naming a header whose value holds CR/LF, and injects nothing', async () => {
    const url = await scenario("return { $headers: { 'X-Evil': 'a\\r\\nInjected: 1' }, a: 1 };");
    const response = await fetch(url);
    expect(response.headers.get('injected')).toBeNull();
    expect(response.headers.get('x-evil')).toBeNull();
    await expectScenarioFailed(response, /X-Evil/);
  });

  it('fails with 500 scenario_failed when a header value is an object', async () => {
    const url = await scenario("return { $headers: { 'X-Obj': { a: 1 } } };");
    await expectScenarioFailed(await fetch(url), /X-Obj/);
  });

  it('fails with 500 scenario_failed when $headers is not an object', async () => {
    const url = await scenario("return { $headers: 'X-A: 1' };");
    await expectScenarioFailed(await fetch(url), /\$headers/);
  });
});

describe('$body', () => {
  it('sends a string $body as is, as text/plain; charset=utf-8', async () => {
    const url = await scenario("return { $body: 'Grüße ✓ 😀\\nline 2', ignored: 1 };");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from('Grüße ✓ 😀\nline 2'))).toBe(true);
  });

  it('sends a Buffer $body as its exact bytes, as application/octet-stream (a tiny PNG)', async () => {
    const url = await scenario(`return { $body: Buffer.from('${PNG_BASE64}', 'base64') };`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('sends a PNG with the Content-Type the scenario sets', async () => {
    const url = await scenario(`return { $headers: { 'Content-Type': 'image/png' }, $body: Buffer.from('${PNG_BASE64}', 'base64') };`);
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
  });

  it('sends a Uint8Array $body as its exact bytes, every byte value included', async () => {
    const url = await scenario('const b = new Uint8Array(256); for (let i = 0; i < 256; i++) b[i] = 255 - i; return { $body: b };');
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const expected = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    expect(Buffer.from(await response.arrayBuffer()).equals(expected)).toBe(true);
  });

  it('sends a Uint8Array view of a larger buffer as only the viewed bytes', async () => {
    const url = await scenario('const all = new Uint8Array([9, 9, 1, 2, 3, 9]); return { $body: all.subarray(2, 5) };');
    const response = await fetch(url);
    expect([...Buffer.from(await response.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('sends the bytes of TextEncoder output and of a raw digest as application/octet-stream', async () => {
    const encoded = await scenario("return { $body: new TextEncoder().encode('Grüße') };");
    const encodedAnswer = await fetch(encoded);
    expect(encodedAnswer.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await encodedAnswer.arrayBuffer()).equals(Buffer.from('Grüße'))).toBe(true);

    const digest = await scenario("return { $body: crypto.createHash('sha256').update('abc').digest() };");
    const digestAnswer = await fetch(digest);
    expect(Buffer.from(await digestAnswer.arrayBuffer()).toString('hex')).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it.each([
    ['an array', "[1, 'two', { three: [3] }, null]", [1, 'two', { three: [3] }, null]],
    ['a number', '42', 42],
    ['a nested object', "{ a: { b: { c: ['d', { e: 'Ü' }] } }, n: null }", { a: { b: { c: ['d', { e: 'Ü' }] } }, n: null }],
    ['a boolean', 'false', false],
  ])('sends %s $body as application/json', async (_what, literal, expected) => {
    const url = await scenario(`return { $body: ${literal}, other: 'not sent' };`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json(; charset=utf-8)?$/);
    expect(JSON.parse(await response.text())).toEqual(expected);
  });

  it('sends an empty body when $body is null', async () => {
    const url = await scenario("return { $status: 202, $body: null, visible: 'not sent' };");
    const response = await rawGet(url);
    expect(response.status).toBe(202);
    expect(response.body.length).toBe(0);
    expect(response.headers['content-length']).toBe('0');
  });

  it('sends, without $body, the JSON of the variables whose names do not start with $', async () => {
    const url = await scenario(`return {
      $status: 200, $headers: { 'X-A': '1' }, $custom: 'hidden', $: 'hidden too',
      greeting: 'Hello, Ann', nested: { list: [1, { deep: true }], none: null }, count: 0,
    };`);
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toMatch(/^application\/json(; charset=utf-8)?$/);
    expect(await response.json()).toEqual({ greeting: 'Hello, Ann', nested: { list: [1, { deep: true }], none: null }, count: 0 });
  });

  it('answers {} when the scenario returns nothing', async () => {
    const url = await scenario("const unused = query.x ?? 'x';");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json(; charset=utf-8)?$/);
    expect(await response.text()).toBe('{}');
  });

  it('answers {} when the scenario returns only $-variables without $body', async () => {
    const url = await scenario("return { $status: 200, $headers: { 'X-Only': 'headers' } };");
    const response = await fetch(url);
    expect(response.headers.get('x-only')).toBe('headers');
    expect(await response.text()).toBe('{}');
  });
});

describe('a return value that is not an object', () => {
  it.each([
    ['an array', "[{ a: 1 }]"],
    ['a string', "'hello'"],
    ['null', 'null'],
    ['a number', '42'],
  ])('fails with 500 scenario_failed when the scenario returns %s', async (_what, literal) => {
    const url = await scenario(`return ${literal};`);
    await expectScenarioFailed(await fetch(url), /object/);
  });

  it('records the failed process with the reason', async () => {
    const { url, id } = await stack.endpoint(`shape-${++counter}`, "return ['not', 'an', 'object'];");
    const response = await fetch(url);
    const { error } = (await response.json()) as { error: { processId: string; message: string } };
    const record = await stack.waitForProcess(error.processId);
    expect(record.status).toBe('failed');
    expect(record.webrequestId).toBe(id);
    expect(record.error).toEqual({ code: 'scenario_failed', message: error.message });
  });
});

describe('X-Request-Id', () => {
  it('is on every answer: success, scenario error, not found and async', async () => {
    const ok = await scenario('return { a: 1 };');
    const failing = await scenario("throw new Error('boom');");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const answers = await Promise.all([
      fetch(ok),
      fetch(failing),
      fetch(`${stack.ingresses[0]}/api/webrequest/no-such-endpoint-${randomUUID()}`),
      fetch(`${ok}?async=true`),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 500, 404, 200]);
    const ids = answers.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(uuid);
    expect(new Set(ids).size).toBe(ids.length);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
  });

  it('echoes the X-Request-Id the caller sends, on success and on errors', async () => {
    const ok = await scenario('return { a: 1 };');
    const failing = await scenario("return { $status: 'bad' };");
    const given = `caller-${randomUUID()}`;
    const success = await fetch(ok, { headers: { 'X-Request-Id': given } });
    expect(success.headers.get('x-request-id')).toBe(given);
    const failure = await fetch(failing, { headers: { 'X-Request-Id': `${given}-2` } });
    expect(failure.status).toBe(500);
    expect(failure.headers.get('x-request-id')).toBe(`${given}-2`);
    const missing = await fetch(`${stack.ingresses[0]}/api/webrequest/missing-${randomUUID()}`, { headers: { 'X-Request-Id': `${given}-3` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe(`${given}-3`);
    await Promise.all([success, failure, missing].map((r) => r.arrayBuffer()));
  });
});
