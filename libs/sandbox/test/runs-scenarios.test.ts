import { createHash, createHmac } from 'node:crypto';
import { types } from 'node:util';
import type { SandboxOutcome } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request, variables } from './scenario-request';

const NOT_AN_OBJECT = 'the scenario must return an object of output variables (or nothing)';

let sandbox: ThreadSandbox;

beforeAll(() => {
  // One thread: consecutive runs share it, which is what the isolation tests need.
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 128 });
});

afterAll(() => sandbox.close());

async function output(source: string): Promise<Record<string, unknown>> {
  const outcome = await sandbox.run(request(source));
  if (outcome.kind !== 'output') throw new Error(`expected an output, got ${JSON.stringify(outcome.error)}`);
  return outcome.output;
}

async function failure(source: string): Promise<string> {
  const outcome = await sandbox.run(request(source));
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome.output)}`);
  expect(outcome.error.code).toBe('scenario_failed');
  return outcome.error.message;
}

describe('variables and output', () => {
  it('gives the scenario every variable as a plain identifier, with its value', async () => {
    const out = await output('return { event, script, user, url, method, headers, cookies, query, body, files, rawBody }');
    expect(out).toEqual(variables);
  });

  it('gives variables as ordinary objects the scenario can use and change', async () => {
    const out = await output(`
      body.order.items.push({ sku: 'B-2', qty: 1 });
      return { count: body.order.items.length, isArray: Array.isArray(files), proto: Object.getPrototypeOf(query) === Object.prototype, status: query.filter.status };
    `);
    expect(out).toEqual({ count: 2, isArray: true, proto: true, status: 'new' });
  });

  it('answers the returned object, including the service variables', async () => {
    const out = await output("return { $status: 201, $headers: { 'X-Order': String(body.order.id) }, ok: true, total: 2.5 }");
    expect(out).toEqual({ $status: 201, $headers: { 'X-Order': '42' }, ok: true, total: 2.5 });
  });

  it('answers {} for a scenario that returns nothing', async () => {
    expect(await output('const x = 1;')).toEqual({});
    expect(await output('if (method === "POST") return;')).toEqual({});
    expect(await output('return undefined')).toEqual({});
  });

  it('drops what JSON cannot carry, as JSON does', async () => {
    const out = await output('return { a: 1, f() {}, u: undefined, d: new Date(0), nested: { g: () => 1, n: null } }');
    expect(out).toEqual({ a: 1, d: '1970-01-01T00:00:00.000Z', nested: { n: null } });
  });

  it.each([
    ['null', 'return null'],
    ['an array', 'return [1, 2]'],
    ['a string', 'return "ok"'],
    ['a number', 'return 200'],
    ['a boolean', 'return true'],
    ['a Map', 'return new Map([["a", 1]])'],
    ['a class instance', 'class Order { constructor() { this.id = 1 } }; return new Order()'],
    ['an object whose toJSON answers a string', 'return { toJSON() { return "no" } }'],
  ])('fails a scenario that returns %s', async (_kind, source) => {
    expect(await failure(source)).toBe(NOT_AN_OBJECT);
  });

  it('fails a BigInt or a cyclic output with a clear message', async () => {
    expect(await failure('return { n: 10n }')).toMatch(/output cannot be sent as JSON: .*BigInt/);
    expect(await failure('const a = { b: {} }; a.b.a = a; return a')).toMatch(/output cannot be sent as JSON: .*circular/i);
  });
});

describe('binary $body', () => {
  async function bodyOf(source: string): Promise<unknown> {
    return (await output(source)).$body;
  }

  it.each([
    ['a Buffer', 'return { $body: Buffer.from("hi there") }'],
    ['a Uint8Array', 'return { $body: new Uint8Array([104, 105, 32, 116, 104, 101, 114, 101]) }'],
    ['TextEncoder output', 'return { $body: new TextEncoder().encode("hi there") }'],
    ['an ArrayBuffer', 'return { $body: new TextEncoder().encode("hi there").buffer }'],
    ['a view on part of a buffer', 'const all = Buffer.from("xxhi therexx"); return { $body: all.subarray(2, 10) }'],
  ])('hands back %s as a plain Uint8Array of exactly its bytes', async (_kind, source) => {
    const body = await bodyOf(source);
    expect(types.isUint8Array(body)).toBe(true);
    expect(Buffer.isBuffer(body)).toBe(false);
    expect(Buffer.from(body as Uint8Array).toString()).toBe('hi there');
  });

  it('keeps a string $body a string and other variables JSON', async () => {
    expect(await output('return { $body: "<ok/>", $headers: { "Content-Type": "application/xml" } }')).toEqual({ $body: '<ok/>', $headers: { 'Content-Type': 'application/xml' } });
  });

  it('copies a megabyte of bytes made in the sandbox quickly', async () => {
    const started = Date.now();
    const body = await bodyOf('const b = new Uint8Array(1024 * 1024); for (let i = 0; i < b.length; i++) b[i] = i % 251; return { $body: b }');
    expect(Date.now() - started).toBeLessThan(2000);
    const bytes = body as Uint8Array;
    expect(bytes.length).toBe(1024 * 1024);
    expect([bytes[0], bytes[250], bytes[251], bytes[bytes.length - 1]]).toEqual([0, 250, 0, (1024 * 1024 - 1) % 251]);
  });
});

describe('errors', () => {
  it('reports a thrown error as "Name: message (line, column)", without a stack trace', async () => {
    const message = await failure('function check() { throw new TypeError("order id missing"); }\ncheck();');
    expect(message).toBe('TypeError: order id missing (line 1, column 26)');
  });

  it('reports a rejection after an await', async () => {
    expect(await failure('await sleep(1); throw new RangeError("too late")')).toBe('RangeError: too late (line 1, column 23)');
  });

  it('reports values that are not errors', async () => {
    expect(await failure('throw "invalid signature"')).toBe('invalid signature');
    expect(await failure('throw 42')).toBe('the scenario threw 42');
    expect(await failure('throw { code: 7 }')).toBe('the scenario threw [object Object]');
  });

  it('reports a syntax error at run time with its line', async () => {
    expect(await failure('const a = 1;\nconst b = ;')).toBe("SyntaxError: Unexpected token ';' (line 2)");
  });

  it('reports a stack overflow and keeps serving', async () => {
    expect(await failure('function f() { return f() + 1 } f()')).toMatch(/^RangeError: Maximum call stack size exceeded/);
    expect(await output('return { ok: true }')).toEqual({ ok: true });
  });
});

describe('isolation', () => {
  it('has no require, process, module or file system', async () => {
    const out = await output('return { require: typeof require, process: typeof process, module: typeof module, fs: typeof fs, setTimeout: typeof setTimeout, fetch: typeof fetch }');
    expect(out).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', fs: 'undefined', setTimeout: 'undefined', fetch: 'undefined' });
  });

  it('does not let the constructor chain reach the host process', async () => {
    expect(await failure("return { p: this.constructor.constructor('return process')() }")).toMatch(/^ReferenceError: process is not defined \(line 1, column \d+\)$/);
    const out = await output(`
      const viaError = (() => { try { null.f() } catch (e) { return e.constructor.constructor('return typeof process')() } })();
      const viaFunction = Function('return typeof this.process')();
      const viaBuffer = Buffer.constructor('return typeof process')();
      return { viaError, viaFunction, viaBuffer };
    `);
    expect(out).toEqual({ viaError: 'undefined', viaFunction: 'undefined', viaBuffer: 'undefined' });
  });

  it('does not show one run the globals another run set', async () => {
    await output('globalThis.leaked = 1; implicitGlobal = 2; Object.prototype.polluted = 3; JSON.stringify = () => "{}"; console.log = () => {};');
    const out = await output('console.log("still captured"); return { leaked: typeof leaked, implicit: typeof implicitGlobal, polluted: ({}).polluted === undefined, json: JSON.stringify({ a: 1 }) }');
    expect(out).toEqual({ leaked: 'undefined', implicit: 'undefined', polluted: true, json: '{"a":1}' });
  });

  it('does not let a change to a variable reach the next run', async () => {
    await output('body.order.id = 999; headers["x-extra"] = "1"; return {}');
    expect(await output('return { id: body.order.id, extra: headers["x-extra"] ?? null }')).toEqual({ id: 42, extra: null });
  });

  it('keeps serving after a scenario leaves a rejected promise unhandled', async () => {
    expect(await output('Promise.reject(new Error("nobody catches me")); await sleep(5); return { ok: 1 }')).toEqual({ ok: 1 });
    expect(await output('return { ok: 2 }')).toEqual({ ok: 2 });
  });

  it('does not let a sleep left pending wake up in a later run', async () => {
    await output('sleep(30).then(() => console.log("late line")); return {}');
    const outcome = await sandbox.run(request('await sleep(80); return {}'));
    expect(outcome.logs).toEqual([]);
  });
});

describe('console', () => {
  it('captures console.log/info/warn/error with util.format rules', async () => {
    const before = Date.now();
    const outcome = await sandbox.run(request(`
      console.log('order %s has %d items', body.order.id, body.order.items.length);
      console.info({ sku: 'A-1', qty: 2 }, [1, 2]);
      console.warn('low stock');
      console.error(new Error('payment declined').message);
      return {};
    `));
    expect(outcome.logs.map(({ level, message }) => ({ level, message }))).toEqual([
      { level: 'log', message: 'order 42 has 1 items' },
      { level: 'info', message: "{ sku: 'A-1', qty: 2 } [ 1, 2 ]" },
      { level: 'warn', message: 'low stock' },
      { level: 'error', message: 'payment declined' },
    ]);
    for (const entry of outcome.logs) expect(entry.at).toBeGreaterThanOrEqual(before);
  });

  it('keeps the logs of a run that failed', async () => {
    const outcome = await sandbox.run(request('console.log("step 1"); throw new Error("step 2 failed")'));
    expect(outcome.kind).toBe('error');
    expect(outcome.logs.map((entry) => entry.message)).toEqual(['step 1']);
  });
});

describe('log limits', () => {
  let small: ThreadSandbox;

  beforeAll(() => {
    small = createThreadSandbox({ threads: 1, memoryMb: 64, maxLogEntries: 5, maxLogBytes: 100 });
  });

  afterAll(() => small.close());

  function lastMessage(outcome: SandboxOutcome): string {
    return outcome.logs[outcome.logs.length - 1]!.message;
  }

  it('keeps at most maxLogEntries entries, then says the logs were truncated', async () => {
    const outcome = await small.run(request('for (let i = 0; i < 1000; i++) console.log("line", i); return {}'));
    expect(outcome.logs).toHaveLength(6);
    expect(outcome.logs.slice(0, 5).map((entry) => entry.message)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(outcome.logs[5]!.level).toBe('warn');
    expect(lastMessage(outcome)).toMatch(/logs truncated/);
  });

  it('keeps at most maxLogBytes bytes of messages, then says the logs were truncated', async () => {
    const outcome = await small.run(request('console.log("a".repeat(60)); console.log("b".repeat(60)); console.log("c"); return {}'));
    expect(outcome.logs.map((entry) => entry.message.length)).toEqual([60, 40, expect.any(Number)]);
    expect(lastMessage(outcome)).toMatch(/logs truncated/);
  });
});

describe('sleep and crypto', () => {
  it('sleeps', async () => {
    const out = await output('const started = Date.now(); await sleep(60); return { waited: Date.now() - started }');
    expect(out.waited).toBeGreaterThanOrEqual(55);
  });

  it('verifies a webhook signature over rawBody as node:crypto computes it', async () => {
    const secret = 'webhook-secret';
    const signature = `sha256=${createHmac('sha256', secret).update(variables.rawBody).digest('hex')}`;
    const source = `
      const expected = 'sha256=' + crypto.createHmac('sha256', ${JSON.stringify(secret)}).update(rawBody).digest('hex');
      const given = ${JSON.stringify(signature)};
      const valid = expected.length === given.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given));
      const forged = crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given.replace(/.$/, (c) => (c === '0' ? '1' : '0'))));
      return { expected, valid, forged };
    `;
    expect(await output(source)).toEqual({ expected: signature, valid: true, forged: false });
  });

  it('hashes strings, Buffers and typed arrays, and makes UUIDs', async () => {
    const out = await output(`
      return {
        hex: crypto.createHash('sha256').update('a').update('b').digest('hex'),
        base64: crypto.createHash('sha1').update(new Uint8Array([1, 2, 3])).digest('base64'),
        bytes: crypto.createHmac('sha256', Buffer.from('k')).update(Buffer.from('x')).digest().length,
        uuid: crypto.randomUUID(),
      };
    `);
    expect(out.hex).toBe(createHash('sha256').update('ab').digest('hex'));
    expect(out.base64).toBe(createHash('sha1').update(Buffer.from([1, 2, 3])).digest('base64'));
    expect(out.bytes).toBe(32);
    expect(out.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('has URL, URLSearchParams, TextEncoder and TextDecoder', async () => {
    const out = await output(`
      const u = new URL(url);
      return { page: u.searchParams.get('page'), q: new URLSearchParams({ a: '1 2' }).toString(), text: new TextDecoder().decode(new TextEncoder().encode('héllo')) };
    `);
    expect(out).toEqual({ page: '2', q: 'a=1+2', text: 'héllo' });
  });
});
