import type { Queue } from 'bullmq';
import { JOB_LOST_ERROR, type JobPayload } from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import type { RedisClient } from '@webrequests/queue';
import { failedWithoutRun, type Store } from '@webrequests/store';

/** What the {@link startReaper} needs. */
export interface ReaperDeps {
  store: Store;
  queue: Queue<JobPayload>;
  /** Holds the reaper's lease (one worker sweeps at a time). */
  redis: RedisClient;
  prefix: string;
  logger: Logger;
  workerId: string;
  intervalMs: number;
  /**
   * Records younger than this are left alone: the ingress writes the record just before it adds the
   * job, so a very new record may not have its job yet (milliseconds).
   */
  minAgeMs: number;
}

/** Records looked at per sweep, at most: a backlog bigger than this is covered over several sweeps. */
const MAX_PER_SWEEP = 10_000;
const PAGE = 500;


/**
 * Fails with `job_lost` every record that is still `queued` or `running` although its job is gone from
 * Redis: without this, a Redis restart without persistence would leave those records open for ever.
 * Every `intervalMs` one worker (the holder of a short lease in Redis) looks at the open records older
 * than `minAgeMs` and checks whether BullMQ still has their jobs. A job still there (waiting, running,
 * failed for good) is BullMQ's to end; this only ends records nothing else will.
 */
export function startReaper(deps: ReaperDeps): { stop: () => Promise<void>; sweep: () => Promise<number> } {
  const lease = `${deps.prefix}:reaper`;
  let running: Promise<number> | null = null;

  const sweep = async (): Promise<number> => {
    const cutoff = new Date(Date.now() - deps.minAgeMs).toISOString();
    let reaped = 0;
    for (const status of ['queued', 'running'] as const) {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const page = await deps.store.listProcesses({ status, createdTo: cutoff, limit: PAGE, ...(cursor ? { cursor } : {}) });
        seen += page.items.length;
        const ids = page.items.map((record) => record.id);
        const exists = await Promise.all(ids.map((id) => deps.queue.getJobState(id)));
        for (const [index, id] of ids.entries()) {
          if (exists[index] !== 'unknown') continue;
          const finished = await deps.store.finishProcess(id, failedWithoutRun(JOB_LOST_ERROR));
          if (finished) {
            reaped++;
            deps.logger.warn('process failed: its job is gone', { processId: id, was: status, errorCode: 'job_lost' });
          }
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen < MAX_PER_SWEEP);
    }
    return reaped;
  };

  const tick = (): void => {
    if (running) return;
    running = (async () => {
      // The lease lasts one interval: if this worker dies mid-sweep, another takes over next time.
      const held = await deps.redis.set(lease, deps.workerId, 'PX', deps.intervalMs, 'NX');
      return held === 'OK' ? sweep() : 0;
    })()
      .catch((error: unknown) => {
        deps.logger.warn('the job_lost sweep failed', { error: String(error) });
        return 0;
      })
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return {
    sweep,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
