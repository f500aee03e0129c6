import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis-connection';
import type { JobPayload } from '@webrequests/contracts';

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
  constructor(connection: RedisClient, prefix: string, onError: (error: Error) => void = () => undefined) {
    this.queue = new Queue<JobPayload>(QUEUE_NAME, { connection, prefix, defaultJobOptions: JOB_OPTIONS });
    this.queue.on('error', onError);
  }

  /** Adds one process's job; resolves only once Redis has it. The job id is the process id. */
  async enqueue(payload: JobPayload): Promise<void> {
    await this.queue.add('webrequest', payload, { jobId: payload.processId });
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
