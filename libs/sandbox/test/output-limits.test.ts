import { types } from 'node:util';
import type { SandboxOutcome } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request } from './scenario-request';

/**
 * SPEC §4 "Bounded resources": an answer over MAX_ANSWER_BYTES (default 8 MiB, counted as JSON bytes,
 * or as raw bytes for a binary `$body`) or nested deeper than 200 levels fails the run at once with
 * `scenario_failed` and a message naming the limit, and the thread keeps serving.
 */

const MiB = 1024 * 1024;
const DEPTH_MESSAGE = 'the answer is nested deeper than 200 levels';
/** Far above what checking an answer costs: a run that fails "at once" is well inside it. */
const AT_ONCE_MS = 3000;

let sandbox: ThreadSandbox;

beforeAll(() => {
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 256 });
});

afterAll(() => sandbox.close());

/** A run with a generous deadline, so a run that hangs shows as a slow failure, not as a pass. */
async function run(source: string): Promise<{ outcome: SandboxOutcome; ms: number }> {
  const started = Date.now();
  const outcome = await sandbox.run(request(source, { timeoutMs: 20_000 }));
  return { outcome, ms: Date.now() - started };
}

async function failsAtOnce(source: string): Promise<string> {
  const { outcome, ms } = await run(source);
  if (outcome.kind !== 'error') throw new Error('expected the run to fail, it answered an output');
  expect(outcome.error.code).toBe('scenario_failed');
  expect(ms).toBeLessThan(AT_ONCE_MS);
  return outcome.error.message;
}

async function answers(source: string): Promise<Record<string, unknown>> {
  const { outcome } = await run(source);
  if (outcome.kind !== 'output') throw new Error(`expected an output, got ${JSON.stringify(outcome.error)}`);
  return outcome.output;
}

/** A scenario answering objects nested `levels` deep, the answer itself being level 1. */
function nested(levels: number, key = 'a'): string {
  return `let o = { leaf: true }; for (let i = 1; i < ${levels}; i++) o = { ${key}: o }; return o;`;
}

async function expectServing(): Promise<void> {
  expect(await answers('return { alive: true }')).toEqual({ alive: true });
}

describe('answer depth', () => {
  it('answers an output nested exactly 200 levels deep', async () => {
    const out = await answers(nested(200));
    let depth = 1;
    for (let o = out as Record<string, unknown>; o.a; o = o.a as Record<string, unknown>) depth++;
    expect(depth).toBe(200);
  });

  it.each([201, 3000, 4000, 100_000])('fails an output nested %i levels deep at once, saying so', async (levels) => {
    expect(await failsAtOnce(nested(levels))).toBe(DEPTH_MESSAGE);
    await expectServing();
  });

  it('counts arrays as levels too, and a $body as part of the answer', async () => {
    expect(await failsAtOnce('let a = [1]; for (let i = 0; i < 250; i++) a = [a]; return { list: a }')).toBe(DEPTH_MESSAGE);
    expect(await failsAtOnce('let b = {}; for (let i = 0; i < 200; i++) b = { b }; return { $body: b }')).toBe(DEPTH_MESSAGE);
  });

  it('is not fooled by brackets inside strings', async () => {
    const out = await answers(`return { text: '${'{['.repeat(300)}', quoted: '\\\\"{{{{' }`);
    expect(out.text).toBe('{['.repeat(300));
  });
});

describe('answer size', () => {
  it('fails a string $body over MAX_ANSWER_BYTES (8 MiB by default), naming the size and the limit', async () => {
    const message = await failsAtOnce(`return { $body: 'x'.repeat(${9 * MiB}) }`);
    expect(message).toBe('the answer is 9 MB, over MAX_ANSWER_BYTES (8 MB)');
    await expectServing();
  });

  it('counts JSON bytes of UTF-8, not characters', async () => {
    // 3 Mi characters of 3 bytes each: 9 MiB of UTF-8 in a string of 3 Mi characters.
    expect(await failsAtOnce(`return { text: '€'.repeat(${3 * MiB}) }`)).toMatch(/^the answer is 9(\.0)? MB, over MAX_ANSWER_BYTES \(8 MB\)$/);
  });

  it('fails a 30 MB binary $body at once, counting its raw bytes', async () => {
    expect(await failsAtOnce(`return { $body: new Uint8Array(${30 * MiB + 100 * 1024}) }`)).toBe('the answer is 30.1 MB, over MAX_ANSWER_BYTES (8 MB)');
    expect(await failsAtOnce(`return { $body: new Uint8Array(${9 * MiB}).buffer }`)).toBe('the answer is 9 MB, over MAX_ANSWER_BYTES (8 MB)');
    await expectServing();
  });

  it('fails an answer whose variables together are over the limit', async () => {
    const source = `const out = {}; for (let i = 0; i < 9; i++) out['part' + i] = 'y'.repeat(${MiB}); return out`;
    expect(await failsAtOnce(source)).toMatch(/^the answer is 9(\.0)? MB, over MAX_ANSWER_BYTES \(8 MB\)$/);
  });

  it('answers a binary $body just under the limit exactly', async () => {
    const size = 8 * MiB - 1024;
    const out = await answers(`const b = new Uint8Array(${size}); for (let i = 0; i < b.length; i++) b[i] = (i * 31 + (i >> 8)) & 255; return { $status: 201, $body: b }`);
    const body = out.$body as Uint8Array;
    expect(types.isUint8Array(body)).toBe(true);
    expect(body.length).toBe(size);
    const expected = new Uint8Array(size);
    for (let i = 0; i < size; i++) expected[i] = (i * 31 + (i >> 8)) & 255;
    expect(Buffer.compare(body, expected)).toBe(0);
    expect(out.$status).toBe(201);
  });
});

describe('maxAnswerBytes (MAX_ANSWER_BYTES)', () => {
  let small: ThreadSandbox;

  beforeAll(() => {
    small = createThreadSandbox({ threads: 1, memoryMb: 64, maxAnswerBytes: 4096 });
  });

  afterAll(() => small.close());

  async function smallRun(source: string): Promise<SandboxOutcome> {
    return small.run(request(source));
  }

  it('takes the limit from the sandbox options, for Buffers, strings and JSON alike', async () => {
    const fits = await smallRun('return { $body: Buffer.alloc(4000, 1), note: "ok" }');
    expect(fits).toMatchObject({ kind: 'output', output: { note: 'ok' } });
    expect((fits.kind === 'output' && (fits.output.$body as Uint8Array).length) || 0).toBe(4000);
    for (const source of ['return { $body: Buffer.alloc(5000) }', 'return { $body: "z".repeat(5000) }', 'return { list: Array(2500).fill(1) }']) {
      const outcome = await smallRun(source);
      expect(outcome).toMatchObject({ kind: 'error', error: { code: 'scenario_failed', message: expect.stringMatching(/^the answer is [\d.]+ KB, over MAX_ANSWER_BYTES \(4 KB\)$/) } });
    }
  });

  it('counts the other variables next to a binary $body', async () => {
    const outcome = await smallRun('return { $body: Buffer.alloc(3000), extra: "e".repeat(2000) }');
    expect(outcome).toMatchObject({ kind: 'error', error: { message: expect.stringMatching(/^the answer is 4.9 KB, over MAX_ANSWER_BYTES \(4 KB\)$/) } });
  });
});
