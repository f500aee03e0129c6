import type { SandboxOutcome } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request, variables } from './scenario-request';

/**
 * The runs of one thread share one VM (see ScenarioVm): these tests run one thread, so each run below
 * runs in the VM the previous run used, unless that run failed (a failed run retires its VM).
 */
let sandbox: ThreadSandbox;

beforeAll(() => {
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 128 });
});

afterAll(() => sandbox.close());

async function output(source: string, overrides: Parameters<typeof request>[1] = {}, on: ThreadSandbox = sandbox): Promise<Record<string, unknown>> {
  const outcome = await on.run(request(source, overrides));
  if (outcome.kind !== 'output') throw new Error(`expected an output, got ${JSON.stringify(outcome.error)}`);
  return outcome.output;
}

/** A run that changes something: it may fail, but only as the scenario's own fault, with a clear error. */
async function tamper(source: string): Promise<SandboxOutcome> {
  const outcome = await sandbox.run(request(source));
  if (outcome.kind === 'error') expect(outcome.error).toMatchObject({ code: 'scenario_failed', message: expect.stringMatching(/^(TypeError|VMError): /) });
  return outcome;
}

describe('the next run on a thread', () => {
  it.each([
    ['a property set on globalThis', 'globalThis.leak = 1', 'typeof leak !== "undefined"'],
    ['an undeclared assignment', 'leak2 = 1', 'typeof leak2 !== "undefined"'],
    ['a top-level var and function', 'var topVar = 1; function topFunction() {}', 'typeof topVar !== "undefined" || typeof topFunction !== "undefined"'],
    ['a global made by indirect eval', '(0, eval)("var evalVar = 1; function evalFunction() {}")', 'typeof evalVar !== "undefined" || typeof evalFunction !== "undefined"'],
    ['a non-configurable global', 'Object.defineProperty(globalThis, "pinned", { value: 1 })', 'typeof pinned !== "undefined"'],
    ['a global accessor', 'Object.defineProperty(globalThis, "getter", { get: () => 1, configurable: true })', 'typeof getter !== "undefined"'],
    ['a symbol-keyed and an index global', 'globalThis[Symbol.for("leak")] = 1; globalThis[0] = 1', 'Symbol.for("leak") in globalThis || 0 in globalThis'],
    ['a symbol-keyed global alone (the guard counts symbols too)', 'globalThis[Symbol.for("alone")] = 1', 'Symbol.for("alone") in globalThis'],
    ['a new prototype for globalThis', 'Object.setPrototypeOf(globalThis, { injected: 1 })', 'typeof injected !== "undefined"'],
    ['an Error.prepareStackTrace hook', 'Error.prepareStackTrace = () => "hooked"', 'new Error("x").stack === "hooked"'],
    ['the last RegExp match', '/(s\\w+)/.exec("secret-token"); RegExp.input = "secret"', 'RegExp.$1 !== "" || RegExp.input !== ""'],
    ['a promise and its resolver left on globalThis', 'globalThis.stash = new Promise((resolve) => { globalThis.resolveStash = resolve })', 'typeof stash !== "undefined" || typeof resolveStash !== "undefined"'],
  ])('does not see %s', async (_what, change, seen) => {
    await tamper(`${change};\nreturn {};`);
    expect(await output(`return { seen: ${seen} }`)).toEqual({ seen: false });
  });

  it.each([
    ['Array.prototype', 'Array.prototype.evil = () => "evil"', 'typeof [].evil === "undefined"'],
    ['Object.prototype', 'Object.prototype.polluted = true', '({}).polluted === undefined'],
    ['Object.prototype, by defineProperty', 'Object.defineProperty(Object.prototype, "polluted", { get: () => true })', '({}).polluted === undefined'],
    ['JSON.parse', 'JSON.parse = () => 1', 'JSON.parse("2") === 2'],
    ['Math.random', 'Math.random = () => 4', 'Math.random() < 1'],
    ['a deleted built-in', 'delete Array.prototype.map', 'typeof [].map === "function"'],
    ['String.prototype', 'String.prototype.trim = () => "evil"', '" a ".trim() === "a"'],
    ['Function.prototype', 'Function.prototype.evil = 1', '(() => 1).evil === undefined'],
    ['Promise.prototype.then', 'Promise.prototype.then = () => "evil"', 'typeof Promise.resolve(1).then(() => 1) === "object"'],
    ['the async function prototype', 'Object.getPrototypeOf(async function () {}).evil = 1', '(async () => 1).evil === undefined'],
    ['the array iterator prototype', 'Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true })', '[...[1, 2]].length === 2'],
    ['Buffer.prototype', 'Buffer.prototype.evil = 1', 'Buffer.from("a").evil === undefined'],
    ['Buffer', 'Buffer.poolSize = 1', 'Buffer.poolSize !== 1'],
    ['URL.prototype', 'URL.prototype.evil = 1; URL.prototype.toString = () => "evil"', 'new URL("http://a/").evil === undefined && String(new URL("http://a/")) === "http://a/"'],
    ['URL itself', 'URL.canParse.evil = 1; URL.evil = () => 1', 'URL.canParse.evil === undefined && URL.evil === undefined'],
    [
      'URLSearchParams and its iterator',
      'URLSearchParams.prototype.get = () => "evil"; URLSearchParams.prototype.evil = 1; const it = Object.getPrototypeOf(new URLSearchParams("a=1").entries()); it.next = () => ({ done: true }); it.evil = 1',
      'new URLSearchParams("a=1").get("a") === "1" && [...new URLSearchParams("a=1")].length === 1 && new URLSearchParams().evil === undefined && new URLSearchParams().entries().evil === undefined',
    ],
    ['TextDecoder', 'TextDecoder.prototype.decode = () => "evil"; TextDecoder.prototype.evil = 1', 'new TextDecoder().decode(new TextEncoder().encode("ok")) === "ok" && new TextDecoder().evil === undefined'],
    ['crypto', 'crypto.createHash = () => "evil"; crypto.randomUUID.evil = 1', 'typeof crypto.createHash("sha256").update === "function" && crypto.randomUUID.evil === undefined'],
    ['the global console', 'globalThis.console.log = () => {}', 'typeof globalThis.console.log === "function" && globalThis.console.log.toString() !== "() => {}"'],
    [
      "vm2's Buffer functions",
      'Buffer.from.stash = 1; Buffer.alloc.stash = 1; Buffer.concat.bind = () => () => "evil"; Buffer.prototype.inspect.stash = 1; Buffer.prototype.toJSON.stash = 1',
      'Buffer.from.stash === undefined && Buffer.alloc.stash === undefined && Buffer.concat.bind(Buffer)([Buffer.from("a")]).toString() === "a" && Buffer.prototype.inspect.stash === undefined && Buffer.prototype.toJSON.stash === undefined',
    ],
    ['the class behind Buffer[Symbol.species]', 'Object.getOwnPropertyDescriptor(Buffer, Symbol.species).get.call(Buffer).stash = 1', 'Object.getOwnPropertyDescriptor(Buffer, Symbol.species).get.call(Buffer).stash === undefined'],
    ['the stack formatter', 'Error.prepareStackTrace.stash = 1', 'Error.prepareStackTrace.stash === undefined'],
  ])('does not see a change to %s, which fails or changes nothing in its own run', async (_what, change, intact) => {
    const outcome = await tamper(`${change};\nreturn { intact: ${intact} };`);
    if (outcome.kind === 'output') expect(outcome.output).toEqual({ intact: true });
    expect(await output(`return { intact: ${intact} }`)).toEqual({ intact: true });
  });

  it('gets a console of its own, whatever the previous run did to its console', async () => {
    const first = await sandbox.run(request('console.log = () => {}; console.log("swallowed"); return {}'));
    expect(first.logs).toEqual([]);
    const second = await sandbox.run(request('console.log("captured"); return {}'));
    expect(second.logs.map((entry) => entry.message)).toEqual(['captured']);
  });

  it('is not reached by a promise job or a sleep the previous run left running', async () => {
    await output(`
      (async () => {
        for (let i = 0; i < 50; i++) await null;
        globalThis.afterReturn = 1;
        Error.prepareStackTrace = () => 'hooked';
        await sleep(10);
        globalThis.afterSleep = 1;
        console.log('woke up');
      })();
      sleep(20).then(() => { globalThis.afterTimer = 1; console.log('timer fired'); });
      return {};
    `);
    const next = await sandbox.run(request('await sleep(80); return { seen: [typeof afterReturn, typeof afterSleep, typeof afterTimer], stack: new Error("x").stack.split("\\n")[0] }'));
    expect(next).toMatchObject({ kind: 'output', output: { seen: ['undefined', 'undefined', 'undefined'], stack: 'Error: x' }, logs: [] });
  });

  it('throws a clear TypeError for a write to a built-in when the scenario opts into strict mode', async () => {
    const outcome = await sandbox.run(request("'use strict';\nObject.prototype.polluted = true;\nreturn {};"));
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'scenario_failed', message: expect.stringMatching(/^TypeError: Cannot add property polluted, object is not extensible \(line \d+, column \d+\)$/) } });
  });

  it('still captures console lines of code made with Function, into the run that made it', async () => {
    const outcome = await sandbox.run(request('Function("console.log(\'from Function\')")(); return {}'));
    expect(outcome.logs.map((entry) => entry.message)).toEqual(['from Function']);
  });
});

describe('the text codecs, given bytes the scenario made itself', () => {
  it('decode typed arrays, array buffers and views made in the scenario, as they decode Buffers', async () => {
    const out = await output(`
      const d = new TextDecoder();
      const stream = new TextDecoder();
      return {
        u8: d.decode(new Uint8Array([104, 105])),
        buffer: d.decode(new Uint8Array([104, 105]).buffer),
        view: d.decode(new Uint8Array([0, 104, 105, 0]).subarray(1, 3)),
        dataView: d.decode(new DataView(new Uint8Array([104, 105]).buffer)),
        nodeBuffer: d.decode(Buffer.from('hi')),
        encoded: d.decode(new TextEncoder().encode('hé')),
        utf8: d.decode(new Uint8Array([0xc3, 0xa9])),
        streamed: stream.decode(new Uint8Array([0xc3]), { stream: true }) + stream.decode(new Uint8Array([0xa9])),
        utf16: new TextDecoder('utf-16le').decode(new Uint8Array([104, 0, 105, 0])),
        empty: d.decode(),
        kind: [TextDecoder.name, d instanceof TextDecoder, Object.prototype.toString.call(d), d.encoding],
      };
    `);
    expect(out).toEqual({
      u8: 'hi', buffer: 'hi', view: 'hi', dataView: 'hi', nodeBuffer: 'hi', encoded: 'hé', utf8: 'é', streamed: 'é', utf16: 'hi', empty: '',
      kind: ['TextDecoder', true, '[object TextDecoder]', 'utf-8'],
    });
  });

  it('fail as TextDecoder does for invalid bytes (fatal) and for what holds no bytes', async () => {
    const out = await output(`
      const fail = (f) => { try { f(); return 'no error'; } catch (e) { return e.name; } };
      return { fatal: fail(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff]))), text: fail(() => new TextDecoder().decode('abc')) };
    `);
    expect(out).toEqual({ fatal: 'TypeError', text: 'TypeError' });
  });

  it('encode into a Uint8Array made in the scenario, reading its real length', async () => {
    const out = await output(`
      const into = (dest, text) => { const r = new TextEncoder().encodeInto(text, dest); return [r.read, r.written, [...dest]]; };
      const lying = new Uint8Array(2);
      Object.defineProperty(lying, 'length', { value: 1e9 });
      return { fits: into(new Uint8Array(4), 'hé'), short: into(new Uint8Array(2), 'hé'), lying: into(lying, 'abc'), buffer: into(Buffer.alloc(3), 'hé') };
    `);
    expect(out).toEqual({ fits: [2, 3, [104, 195, 169, 0]], short: [1, 1, [104, 0]], lying: [2, 2, [97, 98]], buffer: [2, 3, [104, 195, 169]] });
  });
});

describe('one scenario run many times', () => {
  it('gives each run its own variables, even when a run changes them', async () => {
    const source = 'body.seen = (body.seen ?? 0) + 1; body.items.push(body.n); return { n: body.n, seen: body.seen, items: body.items.length }';
    for (const n of [1, 2, 3]) {
      const out = await output(source, { variables: { ...variables, body: { n, items: [] } } });
      expect(out).toEqual({ n, seen: 1, items: 1 });
    }
  });

  it('keeps two scenarios apart when their runs alternate', async () => {
    const a = 'const who = "a"; return { who, n: body.n }';
    const b = 'const who = "b"; console.log("b ran"); return { who, n: body.n * 10 }';
    for (let n = 1; n <= 4; n++) {
      expect(await output(a, { variables: { ...variables, body: { n } } })).toEqual({ who: 'a', n });
      const outcome = await sandbox.run(request(b, { variables: { ...variables, body: { n } } }));
      expect(outcome).toMatchObject({ kind: 'output', output: { who: 'b', n: n * 10 }, logs: [{ level: 'log', message: 'b ran' }] });
    }
  });
});

describe('VM recycling', () => {
  let recycling: ThreadSandbox;

  beforeAll(() => {
    recycling = createThreadSandbox({ threads: 1, memoryMb: 64, runsPerVm: 3 });
  });

  afterAll(() => recycling.close());

  it('keeps serving, isolated, across VM replacements every runsPerVm runs and after failed runs', async () => {
    const work = `
      globalThis.previous ??= body.n;
      console.log('run', body.n);
      return { n: body.n, previous, hash: crypto.createHash('sha1').update(String(body.n)).digest('hex').length, q: new URL(url).searchParams.get('page') };
    `;
    for (let n = 1; n <= 10; n++) {
      if (n % 4 === 0) {
        const failed = await recycling.run(request('throw new Error("boom")'));
        expect(failed).toMatchObject({ kind: 'error', error: { code: 'scenario_failed', message: expect.stringMatching(/^Error: boom \(line 1, column \d+\)$/) } });
      }
      const outcome = await recycling.run(request(work, { variables: { ...variables, body: { n } } }));
      expect(outcome).toMatchObject({ kind: 'output', output: { n, previous: n, hash: 40, q: '2' }, logs: [{ level: 'log', message: `run ${n}` }] });
    }
    expect(recycling.threadsKilled).toBe(0);
  });
});
