import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis-connection';
import type { JobPayload, ProcessError } from '@webrequests/contracts';
import { publishResult } from './result-channel';

/** The one BullMQ queue every webrequest goes through. */
export const QUEUE_NAME = 'webrequests';

/**
 * Jobs are kept a while after they end so the dashboard can show them; records of what happened live in
 * the store, so Redis only keeps the most recent ones.
 */
const JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 5000, age: 7 * 86_400 },
};

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
    prefix: string,
    onError: (error: Error) => void = () => undefined,
  ) {
    this.queue = new Queue<JobPayload>(QUEUE_NAME, { connection, prefix, defaultJobOptions: JOB_OPTIONS });
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
