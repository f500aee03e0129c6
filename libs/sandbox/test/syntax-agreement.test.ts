import { checkSyntax } from '@webrequests/scenario-syntax';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request } from './scenario-request';

/**
 * The ingress checks a scenario on save with `@webrequests/scenario-syntax`, without vm2; the sandbox
 * then compiles it with vm2, which parses with acorn at its own language level first. A source the
 * check passes must run, or an endpoint saved without complaint fails at its first request.
 */
let sandbox: ThreadSandbox;
beforeAll(() => {
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 128 });
});
afterAll(() => sandbox.close());

const ACCEPTED: Record<string, string> = {
  'class fields and private methods': 'class A { #x = 1; static s = 2; #get() { return this.#x; } has(o) { return #x in o; } read() { return this.#get(); } }\nconst a = new A();\nreturn { v: a.read(), s: A.s, has: a.has(a) };',
  'logical assignment and optional chaining': 'let x = null; x ??= 3; const o = { a: { b: 2 } };\nreturn { x, b: o?.a?.b, c: o.z?.y ?? "none" };',
  'top-level await and for await': 'let n = 0; for await (const v of [Promise.resolve(1), 2]) n += v;\nawait sleep(1);\nreturn { n };',
  'regex match indices and named groups': "const m = /(?<y>\\d{4})/d.exec('in 2026'); return { y: m.groups.y, at: m.indices[1][0] };",
  'try/catch without a binding, generators, spread': 'let caught = false; try { JSON.parse("{"); } catch { caught = true; }\nfunction* g() { yield* [1, 2]; }\nreturn { caught, all: [...g()], o: { ...{ a: 1 } } };',
  'numeric separators and bigint': 'return { n: 1_000_000, b: String(2n ** 64n) };',
};

const REFUSED: Record<string, RegExp> = {
  'a regex with the v flag (ES2024: V8 takes it, vm2 does not)': /ES2022/,
  'a hashbang comment inside the body': /SyntaxError/,
};
const REFUSED_SOURCES: Record<string, string> = {
  'a regex with the v flag (ES2024: V8 takes it, vm2 does not)': "return { ok: /[\\p{L}--[a-z]]/v.test('A') };",
  'a hashbang comment inside the body': '#!/bin/sh\nreturn {};',
};

describe('the save-time syntax check agrees with the sandbox', () => {
  it.each(Object.entries(ACCEPTED))('runs what the check accepts: %s', async (_name, source) => {
    expect(checkSyntax(source)).toBeNull();
    const outcome = await sandbox.run(request(source));
    expect(outcome.kind === 'output' ? 'output' : JSON.stringify(outcome.error)).toBe('output');
  });

  it.each(Object.keys(REFUSED))('refuses, with the same message on save and at run time: %s', async (name) => {
    const source = REFUSED_SOURCES[name]!;
    const problem = checkSyntax(source);
    expect(problem).toMatch(REFUSED[name]!);
    const outcome = await sandbox.run(request(source));
    expect(outcome.kind).toBe('error');
    if (outcome.kind === 'error') expect(outcome.error.message).toContain(problem!);
  });
});
