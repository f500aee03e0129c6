import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { audit, countedSource, report, send, settle, useFaultStack, type Sent } from './fault-support';

/**
 * SPEC §8 "Graceful shutdown": SIGTERM to the ingress while it holds sync requests (it turns /readyz to
 * 503, keeps accepting through SHUTDOWN_DELAY_MS, then answers every request it holds; a second SIGTERM
 * does not cut that short), and to a worker with runs in flight (it finishes them, then exits; what is
 * still queued waits for another worker).
 */
describe('graceful shutdown', () => {
  const faults = useFaultStack({
    ingresses: 2,
    workers: 1,
    env: () => ({ SHUTDOWN_DELAY_MS: '1500', SHUTDOWN_TIMEOUT_MS: '20000', SYNC_TIMEOUT_MS: '15000', WORKER_CONCURRENCY: '8' }),
  });

  it('the ingress answers every sync request it holds, reports 503 on /readyz while draining, and a second SIGTERM changes nothing', async () => {
    const { stack, counter } = faults;
    const { id } = await stack.endpoint('ingress-sigterm', countedSource(counter.port));
    const base = stack.ingresses[1]!;
    const url = `${base}/api/webrequest/ingress-sigterm`;
    const ingress = stack.services.find((s) => s.name === 'ingress-1')!;
    // 24 sync requests that take 2–3 s each, on kept-alive connections.
    const held = Array.from({ length: 24 }, (_, n) => send(url, `sig-${n}`, false, { ms: String(2000 + n * 40) }));
    await sleep(500);
    const exited = once(ingress.child, 'exit');
    const startedAt = Date.now();
    ingress.child.kill('SIGTERM');
    await sleep(300);
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ draining: true });
    // Still accepting during the delay: these are answered too.
    const duringDelay = await Promise.all(Array.from({ length: 4 }, (_, n) => send(url, `delay-${n}`, n % 2 === 0, { ms: '200' })));
    ingress.child.kill('SIGTERM');
    const answers = await Promise.all(held);
    const [code] = (await exited) as [number | null];
    const sent: Sent[] = [...answers, ...duringDelay];
    const rows = await settle(stack, id, 20_000);
    const summary = audit(sent, rows, counter.runs);
    report('ingress SIGTERM with 24 sync requests held, and a second SIGTERM', summary);
    expect(summary.problems).toEqual([]);
    expect(sent.map((s) => `${s.token}: ${s.status}`)).toEqual(sent.map((s) => `${s.token}: 200`));
    expect(answers.every((s) => (s.body as { token?: string }).token === s.token)).toBe(true);
    expect(code).toBe(0);
    // It waited for the slowest request (about 3 s), not for its hard limit.
    expect(Date.now() - startedAt).toBeLessThan(15_000);
  });

  it('a worker finishes its runs in flight on SIGTERM, then exits; the jobs still queued run on another worker', async () => {
    const { stack, counter } = faults;
    const { url, id } = await stack.endpoint('worker-sigterm', countedSource(counter.port));
    const worker = stack.workers[0]!;
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, n) => send(stack.ingresses[0]! + '/api/webrequest/worker-sigterm', `w-${n}`, true, { ms: '1500' })));
    void url;
    expect(accepted.every((s) => s.status === 200)).toBe(true);
    await sleep(500);
    const exited = once(worker.child, 'exit');
    worker.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    // Eight ran to their end on the worker that stopped; none was cut.
    const afterStop = await settle(stack, id, 0);
    expect(afterStop.filter((row) => row.status === 'completed').length).toBe(8);
    expect(afterStop.filter((row) => row.status === 'running')).toEqual([]);
    await stack.addWorker();
    const rows = await settle(stack, id, 20_000);
    const summary = audit(accepted, rows, counter.runs);
    report('worker SIGTERM with 8 runs in flight and 12 queued', summary);
    expect(summary.problems).toEqual([]);
    expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['completed', 1]));
  });
});
