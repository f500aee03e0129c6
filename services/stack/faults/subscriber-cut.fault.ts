import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { audit, countedSource, report, send, settle, useFaultStack, type Sent } from './fault-support';

/**
 * SPEC §8 "A sync caller gets the answer that was recorded": the ingress's result subscriber is cut
 * again and again (`CLIENT KILL TYPE pubsub`) under mixed load. Answers published while it is away are
 * lost to pub/sub; the ingress must find them under their result keys, so no completed process answers
 * 504 and every sync caller gets its own answer.
 */
describe('the result subscriber is cut under load', () => {
  // A short sync deadline, so that a missed answer shows as a 504 within the test.
  const faults = useFaultStack({ workers: 2, env: () => ({ SYNC_TIMEOUT_MS: '8000', WORKER_CONCURRENCY: '8' }) });
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(faults.stack.env.REDIS_URL!);
  });
  afterAll(() => admin?.disconnect());

  it('answers every sync caller with its recorded answer: none gets 504, nothing accepted is lost', async () => {
    const { stack, counter } = faults;
    const { url, id } = await stack.endpoint('subscriber-cut', countedSource(counter.port));
    const total = 240;
    const sent: Sent[] = [];
    let next = 0;
    let loadDone = false;
    const lane = async (): Promise<void> => {
      while (next < total) {
        const n = next++;
        // Two in three sync; each sleeps 20–300 ms, so answers keep arriving throughout.
        sent.push(await send(url, `cut-${n}`, n % 3 === 2, { ms: String(20 + ((n * 37) % 280)) }));
      }
    };
    let cuts = 0;
    const cutter = (async () => {
      while (!loadDone) {
        await sleep(120);
        cuts += Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
      }
    })();
    await Promise.all(Array.from({ length: 24 }, lane));
    loadDone = true;
    await cutter;
    const rows = await settle(stack, id, 20_000);
    const summary = audit(sent, rows, counter.runs);
    report(`subscriber cut ${cuts} times`, summary);
    expect(cuts).toBeGreaterThan(10);
    expect(summary.problems).toEqual([]);
    const sync = sent.filter((s) => !s.async);
    expect(sync.filter((s) => s.status !== 200).map((s) => `${s.token}: ${s.status}`)).toEqual([]);
    expect(sync.every((s) => (s.body as { token?: string }).token === s.token)).toBe(true);
  });
});
