import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestStack, type TestStack } from '../test-support/harness';

const FINAL = ['completed', 'failed', 'aborted'];
const TOTAL = 150;
const IN_FLIGHT = 24;
/** Requests sent only once the victim is dead. */
const AFTER_KILL = 48;

/** Resolves once the kernel shows process `pid` stopped (state `T` in /proc/<pid>/stat), i.e. SIGSTOP took hold. */
async function waitUntilStopped(pid: number): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    if (Date.now() > until) throw new Error(`process ${pid} did not stop: ${stat}`);
    await sleep(1);
  }
}

interface Sent {
  n: number;
  async: boolean;
  token: string;
  status: number;
  /** Sync: the parsed answer; async: null. */
  body: unknown;
  processId: string | null;
}

interface ProcessRow {
  id: string;
  status: string;
  async: boolean;
  worker: string | null;
  attempts: number;
  startedAt: string | null;
  output: unknown;
  error: { code: string; message: string } | null;
}

/** Lists every process record of one endpoint (all pages). */
async function allProcesses(stack: TestStack, webrequestId: string, status?: string): Promise<ProcessRow[]> {
  const rows: ProcessRow[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ webrequestId, limit: '200', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    const page: { items: ProcessRow[]; nextCursor: string | null } = await stack.admin('GET', `/processes?${query}`);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/**
 * Sends request `n`: every third one sync, the others async, alternating between the ingresses, each
 * with its own token so that an answer delivered to the wrong caller shows.
 */
async function send(stack: TestStack, n: number): Promise<Sent> {
  const isAsync = n % 3 !== 0;
  const token = randomUUID();
  const base = stack.ingresses[n % stack.ingresses.length];
  const response = await fetch(`${base}/api/webrequest/load${isAsync ? '?async=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n, token, ms: 200 + ((n * 37) % 600) }),
  });
  const text = await response.text();
  return { n, async: isAsync, token, status: response.status, body: isAsync ? null : JSON.parse(text), processId: response.headers.get('x-process-id') };
}

describe('two ingresses and three workers on one Redis and one store', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      ingresses: 2,
      workers: 3,
      // Short locks so that the jobs of a killed worker are taken over within seconds, not 30 s.
      env: { JOB_LOCK_MS: '3000', STALLED_INTERVAL_MS: '1000', WORKER_CONCURRENCY: '4', SYNC_TIMEOUT_MS: '40000' },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('loses no accepted process when a worker is SIGKILLed mid-load: its jobs are taken over and every record ends final', async () => {
    const endpoint = await stack.endpoint('load', 'await sleep(body.ms); return { n: body.n, token: body.token };');
    const victim = stack.workers[1]!;

    // Kill the victim once it holds running processes, so that there is something to take over. Which
    // processes it held when it died is read while it is frozen (SIGSTOP): a record read `running` on
    // the victim a moment before the kill could otherwise have been finished by it in between (then it
    // rightly stays `attempts: 1`), and the assertions below would wait for a takeover that never comes.
    let heldAtKill: string[] = [];
    let killedAt = 0;
    const heldByVictim = async (): Promise<string[]> =>
      (await allProcesses(stack, endpoint.id, 'running')).filter((row) => row.worker === victim.name).map((row) => row.id);
    const killer = (async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        if ((await heldByVictim()).length >= 2) {
          victim.child.kill('SIGSTOP');
          let held: string[] = [];
          try {
            await waitUntilStopped(victim.child.pid!);
            // Frozen, the victim writes nothing more: what its records say now is what it holds at its death.
            held = await heldByVictim();
          } finally {
            // It finished them meanwhile (or the check failed): let it go on, and try again.
            if (held.length < 2) victim.child.kill('SIGCONT');
          }
          if (held.length >= 2) {
            const exited = once(victim.child, 'exit');
            victim.child.kill('SIGKILL');
            killedAt = Date.now();
            heldAtKill = held;
            await exited;
            return;
          }
        }
        await sleep(25);
      }
    })();

    // The load goes on after the kill: the last requests wait for it, so that the takeover happens
    // under load whatever the machine's speed.
    const sent: Sent[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (;;) {
          if (next >= TOTAL - AFTER_KILL) await killer;
          if (next >= TOTAL) return;
          const n = next++;
          sent.push(await send(stack, n));
        }
      }),
    );
    await killer;
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(heldAtKill.length).toBeGreaterThanOrEqual(2);

    // Every caller got its own answer: sync ones the output of their own run, async ones a process id.
    expect(sent).toHaveLength(TOTAL);
    for (const s of sent) {
      expect({ n: s.n, status: s.status }).toEqual({ n: s.n, status: 200 });
      if (s.async) expect(s.processId).toMatch(/^[0-9a-f-]{36}$/);
      else expect(s.body).toEqual({ n: s.n, token: s.token });
    }

    // Every record ends final, those of the killed worker's jobs included.
    const until = Date.now() + 30_000;
    let open: ProcessRow[] = [];
    do {
      await sleep(250);
      open = [...(await allProcesses(stack, endpoint.id, 'queued')), ...(await allProcesses(stack, endpoint.id, 'running'))];
    } while (open.length > 0 && Date.now() < until);
    expect(open.map((row) => `${row.id} ${row.status} on ${row.worker}`)).toEqual([]);

    const records = await allProcesses(stack, endpoint.id);
    expect(records).toHaveLength(TOTAL);
    const byId = new Map(records.map((row) => [row.id, row]));
    for (const s of sent.filter((s) => s.async)) {
      const record = byId.get(s.processId!);
      expect(record).toBeDefined();
      expect(FINAL).toContain(record!.status);
      if (record!.status === 'completed') expect(record!.output).toEqual({ n: s.n, token: s.token });
      else expect(record!.error?.message).toEqual(expect.any(String));
    }
    // What the victim held was run again elsewhere, to completion (one loss is within BullMQ's stall limit).
    for (const id of heldAtKill) {
      const record = byId.get(id)!;
      expect(record).toMatchObject({ status: 'completed', attempts: 2, worker: expect.not.stringMatching(`^${victim.name}$`) });
      // Taken over once the 3 s lock lapsed, at the next 1 s stalled check: not after BullMQ's default 30 s.
      expect(Date.parse(record.startedAt!) - killedAt).toBeLessThan(8000);
    }
    expect(records.filter((row) => row.status === 'completed')).toHaveLength(TOTAL);
  }, 90_000);

  it('ends a process failed with the reason when its job is lost with its worker more often than BullMQ allows', async () => {
    // Enough live workers that one is left after two more are killed.
    while (stack.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length < 3) await stack.addWorker();
    const endpoint = await stack.endpoint('lost', 'await sleep(20000); return { never: true };');
    const response = await fetch(`${endpoint.url}?async=true`);
    expect(response.status).toBe(200);
    const processId = response.headers.get('x-process-id')!;

    const killHolder = async (attempts: number): Promise<string> => {
      const record = await stack.waitForProcess(processId, (r) => r.status === 'running' && r.attempts === attempts, 15_000);
      expect(record).toMatchObject({ status: 'running', attempts });
      const holder = stack.workers.find((w) => w.name === record.worker)!;
      holder.child.kill('SIGKILL');
      return holder.name;
    };
    const first = await killHolder(1);
    const second = await killHolder(2);
    expect(second).not.toBe(first);

    const record = await stack.waitForProcess(processId, (r) => FINAL.includes(String(r.status)), 20_000);
    expect(record).toMatchObject({
      status: 'failed',
      output: null,
      error: { code: 'worker_lost', message: expect.stringContaining('job stalled more than allowable limit') },
    });
    expect(record.finishedAt).toEqual(expect.any(String));
  }, 45_000);
});
