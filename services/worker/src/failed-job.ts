import type { Job } from 'bullmq';
import type { JobPayload, ProcessError } from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import { publishResult, type RedisClient } from '@webrequests/queue';
import { failedWithoutRun, type Store } from '@webrequests/store';

/** What {@link settleFailedJob} needs. */
export interface SettleDeps {
  store: Store;
  /** Connection used to answer a caller that still waits. */
  publisher: RedisClient;
  logger: Logger;
}

/** True when BullMQ will run the job again; false when this failure is its last word. */
function willRetry(job: Job<JobPayload>): boolean {
  return job.finishedOn === undefined && job.attemptsMade < (job.opts.attempts ?? 1);
}

/**
 * Ends the record of a job that BullMQ failed for good when no run concluded it: its worker died holding
 * it more often than allowed ("job stalled more than allowable limit"), or the run itself threw (store
 * or Redis down). Without this the record would stay `queued` or `running` forever. A job that will be
 * retried is left alone, and a record already final (a run that concluded, then failed the job) is not
 * touched. A sync caller that still waits gets the error at once instead of its 504.
 */
export async function settleFailedJob(deps: SettleDeps, job: Job<JobPayload>, reason: string): Promise<boolean> {
  if (willRetry(job)) return false;
  const payload = job.data;
  const error: ProcessError = /stalled/i.test(reason)
    ? { code: 'worker_lost', message: `the worker running the process stopped: ${reason}` }
    : { code: 'unavailable', message: `the process could not be run: ${reason}` };
  const finished = await deps.store.finishProcess(payload.processId, failedWithoutRun(error));
  if (!finished) return false;
  deps.logger.warn('process failed outside a run', { processId: payload.processId, requestId: payload.requestId, reason });
  if (payload.replyTo) await publishResult(deps.publisher, payload.replyTo, { kind: 'error', processId: payload.processId, error }, { deadline: payload.deadline });
  return true;
}
