import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis-connection';
import type { JobPayload, ProcessError } from '@webrequests/contracts';
import { concurrencyKey } from './endpoint-limits';
import { publishResult } from './result-channel';

/** The one BullMQ queue every webrequest goes through. */
export const QUEUE_NAME = 'webrequests';

/** Bytes of ended jobs Redis keeps for the dashboard, at most, completed and failed each. */
export const KEPT_JOBS_MAX_BYTES = 128 * 1024 * 1024;

/**
 * How long ended jobs stay in Redis: a while, so the dashboard can show them. What happened is in the
 * store's records, so Redis keeps only the latest, an hour (completed) or a day (failed), and no more
 * of them than fit in {@link KEPT_JOBS_MAX_BYTES} with every body as large as `maxBodyBytes` allows
 * (a body travels once per job, as text or base64: up to 4/3 of its bytes). Without a byte bound, a
 * stream of large bodies to a failing endpoint could fill Redis, and with `noeviction` that is an outage.
 */
export function jobOptions(maxBodyBytes: number): JobsOptions {
  const perJob = Math.ceil((maxBodyBytes * 4) / 3) + 16 * 1024;
  const count = Math.max(10, Math.min(1000, Math.floor(KEPT_JOBS_MAX_BYTES / perJob)));
  return {
    attempts: 1,
    removeOnComplete: { count, age: 3600 },
    removeOnFail: { count, age: 86_400 },
  };
}

/** Producer side of the webrequest queue. */
export class WebrequestQueue {
  readonly queue: Queue<JobPayload>;
  private backlog = 0;
  private backlogTimer: NodeJS.Timeout | undefined;

  /**
   * `onError` hears the queue's own errors; without a listener BullMQ prints them, stack and all,
   * through `console.error`. Connection errors are the connection's to report (see createRedisConnection).
   */
  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    onError: (error: Error) => void = () => undefined,
    /** MAX_BODY_BYTES: bounds how many ended jobs are kept (see {@link jobOptions}). */
    maxBodyBytes = 1024 * 1024,
  ) {
    this.queue = new Queue<JobPayload>(QUEUE_NAME, { connection, prefix, defaultJobOptions: jobOptions(maxBodyBytes) });
    this.queue.on('error', onError);
  }

  /** Adds one process's job; resolves only once Redis has it. The job id is the process id. */
  async enqueue(payload: JobPayload): Promise<void> {
    await this.queue.add('webrequest', payload, { jobId: payload.processId });
  }

  /**
   * Takes a process's job out of the queue if no worker holds it (waiting or delayed), so that it never
   * runs, and tells its sync caller, if one waits, `error`. Answers whether the job was taken out: false
   * when a worker is running it (stop that one with an abort order) or it is gone already.
   */
  async withdraw(processId: string, error: ProcessError): Promise<boolean> {
    const job = await this.queue.getJob(processId);
    if (!job) return false;
    // 0 when the job is locked: a worker has it.
    if ((await this.queue.remove(processId)) !== 1) return false;
    const payload = job.data;
    // No worker will ever end it: its maxConcurrent slot is freed here, or it would be held until its lease ran out.
    if (payload.leased) await this.connection.zrem(concurrencyKey(this.prefix, payload.webrequestId), processId);
    if (payload.replyTo) await publishResult(this.connection, payload.replyTo, { kind: 'error', processId, error }, { deadline: payload.deadline });
    return true;
  }

  /**
   * Jobs waiting, as last polled: reading the count on every request would add a Redis round trip to
   * the hot path, and a backlog limit does not need to be exact to the job.
   */
  get waitingCount(): number {
    return this.backlog;
  }

  /** Polls the waiting count every `intervalMs` until {@link close}. */
  watchBacklog(intervalMs = 1000): void {
    const poll = (): void => {
      this.queue.getWaitingCount().then(
        (count) => (this.backlog = count),
        () => undefined, // Redis down: readiness and enqueue report it; the last count stands.
      );
    };
    poll();
    this.backlogTimer = setInterval(poll, intervalMs).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.backlogTimer);
    await this.queue.close();
  }
}
