import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { audit, countedSource, report, send, settle, useFaultStack, type Sent } from './fault-support';

/**
 * SPEC §8 "Nothing accepted is lost" and "a takeover increments attempts": a worker is SIGKILLed under
 * mixed load, with a second worker up (it takes the jobs over) and alone (a new worker started after
 * the kill takes them over). Every accepted process ends final; a process that ran twice says so.
 */
describe.each([
  { second: true, name: 'with a second worker up' },
  { second: false, name: 'alone, a new worker started after it' },
])('a worker SIGKILLed under load, $name', ({ second }) => {
  const faults = useFaultStack({
    workers: second ? 2 : 1,
    env: () => ({ SYNC_TIMEOUT_MS: '20000', WORKER_CONCURRENCY: '4', JOB_LOCK_MS: '3000', STALLED_INTERVAL_MS: '1000' }),
  });

  it('loses nothing accepted; runs repeated by the takeover show in attempts', async () => {
    const { stack, counter } = faults;
    const { url, id } = await stack.endpoint(`worker-kill-${second ? 'two' : 'one'}`, countedSource(counter.port));
    const sent: Sent[] = [];
    let n = 0;
    const total = 120;
    const lane = async (): Promise<void> => {
      while (n < total) {
        const token = `k-${n++}`;
        sent.push(await send(url, token, n % 3 !== 0, { ms: String(200 + ((n * 71) % 500)) }));
      }
    };
    const lanes = Promise.all(Array.from({ length: 10 }, lane));
    while (n < 40) await sleep(10);
    const victim = stack.workers[0]!;
    const exited = once(victim.child, 'exit');
    victim.child.kill('SIGKILL');
    await exited;
    if (!second) await stack.addWorker();
    await lanes;
    const rows = await settle(stack, id, 40_000);
    const summary = audit(sent, rows, counter.runs);
    report(`worker SIGKILLed ${second ? 'with a second worker up' : 'alone, then restarted'}`, summary);
    expect(summary.problems).toEqual([]);
    expect(sent.filter((s) => s.status !== 200).map((s) => `${s.token}: ${s.status} ${JSON.stringify(s.body)}`)).toEqual([]);
    // The kill did cut runs short, and they ran again on the other worker.
    expect(rows.filter((row) => row.attempts > 1).length).toBeGreaterThan(0);
  });
});
