import { setTimeout as sleep } from 'node:timers/promises';
import { audit, countedSource, ownRedis, report, send, settle, useFaultStack, type OwnRedis, type Sent } from './fault-support';

/**
 * SPEC §8 "Nothing accepted is lost": Redis is SIGKILLed under mixed load and started again, with AOF
 * (nothing accepted may be lost; a run repeated by the takeover shows in `attempts`) and without
 * persistence (every job is gone: their records must end `job_lost`, none stays queued).
 */
async function loadThroughRestart(redis: OwnRedis, url: string): Promise<{ sent: Sent[]; afterRestart: Sent[] }> {
  const sent: Sent[] = [];
  const afterRestart: Sent[] = [];
  let n = 0;
  let phase: 'before' | 'down' | 'after' | 'done' = 'before';
  const lane = async (): Promise<void> => {
    while (phase !== 'done') {
      const at = phase;
      const token = `r-${n++}`;
      const result = await send(url, token, n % 4 !== 0, { ms: String(100 + ((n * 53) % 400)) });
      sent.push(result);
      if (at === 'after') afterRestart.push(result);
      // While Redis is down the refusals come fast: do not flood.
      await sleep(at === 'down' ? 100 : 10);
    }
  };
  const lanes = Promise.all(Array.from({ length: 12 }, lane));
  // Mid-load: a backlog of queued jobs, some running.
  while (sent.length < 80) await sleep(10);
  await redis.kill();
  phase = 'down';
  await sleep(1500);
  await redis.start();
  // The services reconnect by themselves; what is sent from a moment later must be accepted again.
  await sleep(2000);
  phase = 'after';
  while (afterRestart.length < 60) await sleep(10);
  phase = 'done';
  await lanes;
  return { sent, afterRestart };
}

describe.each([
  { aof: true, name: 'with AOF' },
  { aof: false, name: 'without persistence' },
])('Redis SIGKILLed and restarted $name under load', ({ aof }) => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await ownRedis({ aof });
  });
  const faults = useFaultStack({
    workers: 2,
    env: () => ({
      REDIS_URL: redis.url,
      SYNC_TIMEOUT_MS: '10000',
      WORKER_CONCURRENCY: '4',
      JOB_LOCK_MS: '4000',
      STALLED_INTERVAL_MS: '2000',
      REAPER_INTERVAL_MS: '1000',
    }),
    // The stack first, then its Redis.
    after: () => redis.stop(),
  });

  it('loses nothing accepted and leaves no record open; every run shows in attempts', async () => {
    const { stack, counter } = faults;
    const { url, id } = await stack.endpoint(`redis-restart-${aof ? 'aof' : 'none'}`, countedSource(counter.port));
    const { sent, afterRestart } = await loadThroughRestart(redis, url);
    const rows = await settle(stack, id, 45_000);
    const summary = audit(sent, rows, counter.runs);
    report(`Redis restarted ${aof ? 'with AOF' : 'without persistence'}`, summary);
    expect(summary.problems).toEqual([]);
    // Refusals while Redis was down are clean 503s; nothing else but 200 (and job_lost's 503).
    const other = sent.filter((s) => ![200, 503].includes(s.status));
    expect(other.map((s) => `${s.token}: ${s.status} ${JSON.stringify(s.body)}`)).toEqual([]);
    // The stack came back by itself: everything sent once Redis was up again was answered.
    expect(afterRestart.filter((s) => s.status !== 200).map((s) => `${s.token}: ${s.status} ${JSON.stringify(s.body)}`)).toEqual([]);
    if (aof) expect(rows.filter((row) => row.error?.code === 'job_lost')).toEqual([]);
    else expect(rows.filter((row) => row.error?.code === 'job_lost').length).toBeGreaterThan(0);
  });
});
