import { readFileSync, readdirSync } from 'node:fs';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * SPEC §4 "Credential-free process", end to end: the worker runs scenarios in sandbox processes whose
 * environment and command line are read here from the OS, and which die without taking the worker.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { WORKER_CONCURRENCY: '2' } });
});
afterAll(() => stack?.stop());

/** The processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** The command line of `pid`, or '' when it ended between being listed and being read (a killed sandbox process). */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

async function sandboxPids(): Promise<number[]> {
  const worker = stack.workers[0]!.child.pid!;
  const until = Date.now() + 10_000;
  for (;;) {
    const pids = childrenOf(worker).filter((pid) => commandLineOf(pid).includes('sandbox-process.js'));
    if (pids.length === 2 || Date.now() > until) return pids;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("runs scenarios in two sandbox processes whose environment holds none of the worker's credentials", async () => {
  const pids = await sandboxPids();
  expect(pids).toHaveLength(2);
  const secrets = [stack.env.REDIS_URL!, stack.env.STORE_URL!, stack.token];
  for (const pid of pids) {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    for (const secret of secrets) expect(environ).not.toContain(secret);
    expect(environ.split('\0').filter(Boolean).map((entry) => entry.split('=')[0]).sort()).toEqual(['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE']);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.some((arg) => arg === '--permission' || arg === '--experimental-permission')).toBe(true);
  }
  const { url } = await stack.endpoint('sandbox/where', 'return { process: typeof process, require: typeof require, env: typeof globalThis.process?.env };');
  expect(await (await fetch(url)).json()).toEqual({ process: 'undefined', require: 'undefined', env: 'undefined' });
});

it('fails only the run of a sandbox process that dies, replaces it, and the worker keeps serving', async () => {
  const { url } = await stack.endpoint('sandbox/slow', 'await sleep(Number(query.ms)); return { slept: Number(query.ms) };');
  const pids = await sandboxPids();
  const slow = fetch(`${url}?ms=8000`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Which process holds the run is the sandbox's choice: kill both, the worker survives either way.
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const answer = await slow;
  expect(answer.status).toBe(500);
  const body = (await answer.json()) as { error: { code: string; message: string; processId: string } };
  expect(body.error.message).toMatch(/sandbox process running the scenario died/);
  const record = await stack.waitForProcess(body.error.processId);
  expect(record).toMatchObject({ status: 'failed', error: { code: 'sandbox_crashed' } });
  const replaced = await sandboxPids();
  expect(replaced).toHaveLength(2);
  expect(replaced.filter((pid) => pids.includes(pid))).toEqual([]);
  expect(await (await fetch(`${url}?ms=1`)).json()).toEqual({ slept: 1 });
  expect(stack.workers[0]!.child.exitCode).toBeNull();
});
