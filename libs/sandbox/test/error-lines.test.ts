import type { ProcessError, SandboxOutcome } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request } from './scenario-request';

/**
 * SPEC §4 "Errors point at the scenario": a thrown error reaches the record, the caller's message and
 * the worker's log with its scenario line and column (`TypeError: … (line 4, column 12)`), never a host
 * path or a sandbox internal. The scenario is compiled inside a wrapper whose text precedes the source
 * on line 1: columns on line 1 are the scenario's own, not the wrapper's.
 */

/** Anything that would show the sandbox's machinery or the host: paths, internal file names, vm2's placeholders. */
const INTERNALS = /scenario\.js|prelude\.js|stack-format|harden|node:|\/[a-z]|\\|CallSite|VM2|bridge|setup-sandbox/i;

let sandbox: ThreadSandbox;

beforeAll(() => {
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 64 });
});

afterAll(() => sandbox.close());

async function failure(source: string): Promise<ProcessError> {
  const outcome = await sandbox.run(request(source));
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome.output)}`);
  expect(outcome.error.code).toBe('scenario_failed');
  return outcome.error;
}

async function logsOf(source: string): Promise<SandboxOutcome['logs']> {
  return (await sandbox.run(request(source))).logs;
}

describe('a thrown error', () => {
  it('names its scenario line and column in the message, and says them again with the scenario frames', async () => {
    const error = await failure(['const order = null;', 'function handler() {', '  return 1 +', '    order.id;', '}', '', 'handler();'].join('\n'));
    expect(error).toEqual({
      code: 'scenario_failed',
      message: "TypeError: Cannot read properties of null (reading 'id') (line 4, column 11)",
      line: 4,
      column: 11,
      stack: ["TypeError: Cannot read properties of null (reading 'id')", '    at handler (line 4, column 11)', '    at line 7, column 1'].join('\n'),
    });
  });

  it('counts columns on line 1 from the start of the scenario, not of its wrapper', async () => {
    expect(await failure("throw new RangeError('too big')")).toMatchObject({ message: 'RangeError: too big (line 1, column 7)', line: 1, column: 7 });
    expect(await failure('null.f()')).toMatchObject({ line: 1, column: 6 });
  });

  it('points at the scenario after an await, through async functions, constructors and callbacks', async () => {
    const afterAwait = await failure(['await sleep(1);', 'async function load() { await null; null.f(); }', 'await load();'].join('\n'));
    expect(afterAwait).toMatchObject({ line: 2, column: 42 });
    expect(afterAwait.stack).toBe(["TypeError: Cannot read properties of null (reading 'f')", '    at load (line 2, column 42)', '    at async line 3, column 1'].join('\n'));
    const inConstructor = await failure(['class Order {', "  constructor() { throw new Error('no items'); }", '}', 'new Order();'].join('\n'));
    expect(inConstructor.stack).toBe(['Error: no items', '    at new Order (line 2, column 25)', '    at line 4, column 1'].join('\n'));
    const inCallback = await failure("[1, 2].map((n) => { if (n === 2) throw new TypeError('bad item ' + n); return n; });");
    expect(inCallback).toMatchObject({ message: 'TypeError: bad item 2 (line 1, column 40)', line: 1, column: 40 });
    // The built-in `map` between the callback and the scenario is not a scenario frame.
    expect(inCallback.stack!.split('\n')).toHaveLength(3);
  });

  it('places an error a host helper throws at the scenario line that called it', async () => {
    const error = await failure("const ok = 1;\nconst hash = crypto.createHash('no-such-digest');");
    expect(error).toMatchObject({ message: 'Error: Digest method not supported (line 2, column 21)', line: 2, column: 21 });
    expect(error.stack).toBe('Error: Digest method not supported\n    at line 2, column 21');
  });

  it('keeps its place when vm2 instruments a catch clause', async () => {
    expect(await failure('try { null.f() } catch (e) { throw e }')).toMatchObject({ line: 1, column: 12 });
  });

  it.each([
    ['a thrown error', "function a() { throw new Error('x') }\na()"],
    ['a stack overflow', 'function f() { return f() + 1 }\nf()'],
    ['a host helper error', 'new URL("not a url")'],
    ['a getter that throws', "const o = { get v() { throw new TypeError('nope') } };\nreturn { x: o.v }"],
  ])('never shows a host path or a sandbox internal (%s)', async (_kind, source) => {
    const error = await failure(source);
    expect(error.line).toEqual(expect.any(Number));
    expect(error.message).not.toMatch(INTERNALS);
    expect(error.stack).not.toMatch(INTERNALS);
  });

  it('reports values that are not errors without a place', async () => {
    expect(await failure('throw "invalid signature"')).toEqual({ code: 'scenario_failed', message: 'invalid signature' });
    expect(await failure("throw { code: 7 }")).toEqual({ code: 'scenario_failed', message: 'the scenario threw [object Object]' });
  });

  it('gives a syntax error its line', async () => {
    expect(await failure('const a = 1;\nconst b = ;')).toEqual({ code: 'scenario_failed', message: "SyntaxError: Unexpected token ';' (line 2)", line: 2 });
  });

  it('shows the scenario its own stack the same way', async () => {
    const outcome = await sandbox.run(request("const e = new Error('mine');\nreturn { stack: e.stack }"));
    expect(outcome).toMatchObject({ kind: 'output', output: { stack: 'Error: mine\n    at line 1, column 11' } });
  });
});

describe('errors in the logs', () => {
  it('writes console.error(new Error(…)) as its message and scenario frames, not placeholder frames', async () => {
    const logs = await logsOf("function check() {\n  console.error(new Error('e'));\n}\ncheck();\nreturn {}");
    expect(logs.map(({ level, message }) => ({ level, message }))).toEqual([{ level: 'error', message: 'Error: e\n    at check (line 2, column 17)\n    at line 4, column 1' }]);
  });

  it('writes an error among other arguments, and a caught host error, without host paths', async () => {
    const logs = await logsOf("try { new URL('nope') } catch (e) { console.warn('parsing failed:', e) }\nreturn {}");
    expect(logs).toHaveLength(1);
    expect(logs[0]!.message).toBe('parsing failed: TypeError: Invalid URL\n    at line 1, column 7');
    expect(logs[0]!.message).not.toMatch(INTERNALS);
  });

  it('leaves an entry for a rejected promise the scenario never awaits, and does not charge the next run with it', async () => {
    const logs = await logsOf("(async () => { throw new TypeError('lost'); })();\nawait sleep(5);\nreturn { ok: true }");
    expect(logs).toEqual([expect.objectContaining({ level: 'error', message: expect.stringMatching(/unhandled promise rejection/i) })]);
    expect(await logsOf('return {}')).toEqual([]);
  });
});
