import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request } from './scenario-request';

/**
 * SPEC §4: "A run cannot outlive itself." What a run leaves behind once it has answered must not hold
 * up the thread's next run, of this caller or another.
 */
let sandbox: ThreadSandbox;
beforeEach(() => {
  // One thread: the next run can only go where the previous one ran, or to its replacement.
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 128 });
});
afterEach(() => sandbox.close());

it('kills a thread left spinning on an endless chain of promise jobs, and runs the next caller at once', async () => {
  const poisoned = await sandbox.run(request('(function loop() { Promise.resolve().then(loop); })();\nreturn { ok: true };'));
  expect(poisoned).toMatchObject({ kind: 'output', output: { ok: true } });
  const started = Date.now();
  const next = await sandbox.run(request('return { next: true };', { timeoutMs: 15_000 }));
  expect(next).toMatchObject({ kind: 'output', output: { next: true } });
  // The idle watchdog (1 s) plus a fresh thread, not the 15 s deadline.
  expect(Date.now() - started).toBeLessThan(8000);
  expect(sandbox.threadsKilled).toBe(1);
});

it('does the same for a chain left by a run that failed', async () => {
  const failed = await sandbox.run(request('(function loop() { Promise.resolve().then(loop); })();\nthrow new Error("after planting");'));
  expect(failed).toMatchObject({ kind: 'error', error: { code: 'scenario_failed' } });
  const next = await sandbox.run(request('return { next: true };', { timeoutMs: 15_000 }));
  expect(next).toMatchObject({ kind: 'output', output: { next: true } });
});

it('keeps a thread whose runs leave nothing behind: no kill, no restart', async () => {
  for (let i = 0; i < 20; i++) {
    expect(await sandbox.run(request(`await sleep(1); return { i: ${i} };`))).toMatchObject({ kind: 'output', output: { i } });
  }
  expect(sandbox.threadsKilled).toBe(0);
});
