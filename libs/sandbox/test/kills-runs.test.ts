import type { SandboxOutcome } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request } from './scenario-request';

const DEADLINE_MS = 500;
/**
 * How late past its deadline a kill may answer. Terminating a thread takes a few milliseconds; the
 * margin is for a loaded CI machine, and is still far below what a scenario asked for (1e9 ms).
 */
const SLACK_MS = 1000;

let sandbox: ThreadSandbox;

beforeAll(async () => {
  // One thread, so "the next run succeeds" runs on the thread that replaced the killed one.
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 64 });
  // Its thread up first: on a loaded machine a first run could otherwise reach its deadline still
  // queued behind the thread's start, and no thread would be killed.
  await expectServing();
});

afterAll(() => sandbox.close());

function errorOf(outcome: SandboxOutcome) {
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome.output)}`);
  return outcome.error;
}

async function expectServing(): Promise<void> {
  const outcome = await sandbox.run(request('return { alive: true }'));
  expect(outcome).toMatchObject({ kind: 'output', output: { alive: true } });
}

describe('the deadline', () => {
  it.each([
    ['an endless loop', 'while (true) {}'],
    ['a promise that never settles', 'await new Promise(() => {})'],
    ['a long sleep', 'await sleep(1e9)'],
    ['a loop of microtasks', 'while (true) await null'],
  ])('kills %s at the deadline, then serves the next run', async (_kind, source) => {
    const killedBefore = sandbox.threadsKilled;
    const started = Date.now();
    const outcome = await sandbox.run(request(source, { timeoutMs: DEADLINE_MS }));
    const elapsed = Date.now() - started;
    expect(errorOf(outcome)).toEqual({ code: 'timeout', message: expect.stringMatching(/deadline/) });
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(sandbox.threadsKilled).toBe(killedBefore + 1);
    await expectServing();
  });

  it('keeps what a killed run logged before the kill', async () => {
    const outcome = await sandbox.run(request('console.log("fetching the report"); while (true) {}', { timeoutMs: DEADLINE_MS }));
    expect(errorOf(outcome).code).toBe('timeout');
    expect(outcome.logs.map((entry) => entry.message)).toEqual(['fetching the report']);
  });

  it('does not start a run whose deadline has passed', async () => {
    const killedBefore = sandbox.threadsKilled;
    const outcome = await sandbox.run(request('while (true) {}', { deadline: Date.now() - 1 }));
    expect(outcome).toEqual({ kind: 'error', error: { code: 'timeout', message: expect.any(String) }, logs: [], durationMs: 0 });
    expect(sandbox.threadsKilled).toBe(killedBefore);
  });
});

describe('an operator stop', () => {
  it('kills the run with code aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const outcome = await sandbox.run(request('await sleep(1e9)', { signal: controller.signal, timeoutMs: 10_000 }));
    expect(errorOf(outcome).code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(150 + SLACK_MS);
    await expectServing();
  });

  it('does not start a run already stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await sandbox.run(request('return {}', { signal: controller.signal }));
    expect(errorOf(outcome).code).toBe('aborted');
  });
});

describe('the memory cap', () => {
  it('fails a scenario that exhausts the heap, then serves the next run', async () => {
    const killedBefore = sandbox.threadsKilled;
    const outcome = await sandbox.run(request('const a = []; while (true) a.push(new Array(1e6).fill(1))', { timeoutMs: 20_000 }));
    expect(errorOf(outcome)).toEqual({ code: 'scenario_failed', message: expect.stringMatching(/exceeded the memory limit \(64 MB\)/) });
    expect(sandbox.threadsKilled).toBe(killedBefore + 1);
    await expectServing();
  });

  it('refuses a single Buffer larger than the cap', async () => {
    const outcome = await sandbox.run(request('Buffer.alloc(1024 * 1024 * 1024); return {}'));
    expect(errorOf(outcome).code).toBe('scenario_failed');
    await expectServing();
  });
});

describe('a pool of threads', () => {
  it('runs scenarios side by side, one per thread, and kills only the one past its deadline', async () => {
    const pair = createThreadSandbox({ threads: 2, memoryMb: 64 });
    try {
      // Both threads up and warm, so the timing below measures runs, not thread start-up.
      await Promise.all([pair.run(request('await sleep(50); return {}')), pair.run(request('await sleep(50); return {}'))]);
      const stuckDeadlineMs = 1500;
      const started = Date.now();
      const stuck = pair.run(request('while (true) {}', { timeoutMs: stuckDeadlineMs }));
      const fine = await pair.run(request('await sleep(200); return { done: true }', { timeoutMs: 5000 }));
      // Had it waited for the stuck run's thread, it would end after that run's deadline.
      expect(Date.now() - started).toBeLessThan(stuckDeadlineMs);
      expect(fine).toMatchObject({ kind: 'output', output: { done: true } });
      expect(errorOf(await stuck).code).toBe('timeout');
      expect(pair.threadsKilled).toBe(1);
    } finally {
      await pair.close();
    }
  });

  it('counts a run waiting for a thread against its deadline, without killing anything', async () => {
    const single = createThreadSandbox({ threads: 1, memoryMb: 64 });
    try {
      const busy = single.run(request('await sleep(600); return {}', { timeoutMs: 5000 }));
      const waiting = await single.run(request('return {}', { timeoutMs: 200 }));
      expect(errorOf(waiting).code).toBe('timeout');
      expect(await busy).toMatchObject({ kind: 'output' });
      expect(single.threadsKilled).toBe(0);
    } finally {
      await single.close();
    }
  });

  it('ends runs in flight as aborted when closed, and refuses runs after', async () => {
    const closing = createThreadSandbox({ threads: 1, memoryMb: 64 });
    const inFlight = closing.run(request('await sleep(1e9)', { timeoutMs: 10_000 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    expect(errorOf(await inFlight).code).toBe('aborted');
    expect(errorOf(await closing.run(request('return {}'))).code).toBe('aborted');
    await closing.close();
  });
});
