import type { Response } from 'express';
import { JOB_LOST_ERROR, TimeoutError, UnavailableError, type JobPayload, type ResultMessage } from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import type { DirectResultMessage, ResultChannel, WebrequestQueue } from '@webrequests/queue';
import { failedWithoutRun, type Store } from '@webrequests/store';

type Waiting = ReturnType<ResultChannel['expect']>;

/** Longest the ingress waits for Redis to hand over a stored answer (milliseconds). */
const STORED_READ_TIMEOUT_MS = 10_000;

/** What a {@link ResultWaiter} is built from. */
export interface ResultWaiterDeps {
  store: Store;
  queue: WebrequestQueue;
  results: ResultChannel;
  logger: Logger;
}

/**
 * Waits for the answer of a sync process: the worker's message (or, when it travelled under a key,
 * the answer read back from Redis), `job_lost` when its job is gone at the deadline, a timeout
 * otherwise; `gone` when the caller hung up first.
 */
export class ResultWaiter {
  private readonly log: Logger;

  constructor(private readonly deps: ResultWaiterDeps) {
    this.log = deps.logger.child({ module: 'webrequest' });
  }

  async answerOf(payload: JobPayload, waiting: Waiting, res: Response): Promise<DirectResultMessage | 'gone'> {
    const message = await this.waitForResult(payload, waiting, res);
    if (message === 'gone' || message.kind !== 'stored') return message;
    // The answer is in; reading it back is not bound by the deadline (a completed process never
    // answers 504), only by its own time limit.
    return this.takeStored(message, res);
  }

  /** The answer a `stored` message points at; 503 when Redis fails or no longer holds it. */
  private async takeStored(pointer: Extract<ResultMessage, { kind: 'stored' }>, res: Response): Promise<DirectResultMessage | 'gone'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${STORED_READ_TIMEOUT_MS} ms`)), STORED_READ_TIMEOUT_MS);
    });
    const hungUp = new Promise<'gone'>((resolve) => res.on('close', () => (res.writableFinished ? undefined : resolve('gone'))));
    let stored: DirectResultMessage | null | 'gone';
    try {
      stored = await Promise.race([this.deps.results.take(pointer), timeout, hungUp]);
    } catch (error) {
      throw new UnavailableError('the answer could not be read back from Redis', { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (stored === null) {
      this.log.warn('stored answer missing', { processId: pointer.processId, key: pointer.key, bytes: pointer.bytes });
      throw new UnavailableError('the answer was stored in Redis but is no longer there');
    }
    return stored;
  }

  /**
   * At the deadline, whether the process's job is gone from Redis (a restart without persistence): then
   * its caller hears `job_lost`, not `timeout`, and its record is ended so (the workers' reaper would do
   * it later). False when Redis cannot tell.
   */
  private async jobLost(payload: JobPayload): Promise<boolean> {
    const { store, queue } = this.deps;
    try {
      if ((await queue.queue.getJobState(payload.processId)) !== 'unknown') return false;
      const finished = await store.finishProcess(payload.processId, failedWithoutRun(JOB_LOST_ERROR));
      if (finished) this.log.warn('process failed: its job is gone', { processId: payload.processId, errorCode: 'job_lost' });
      // Not finished here: ended already, by the reaper (job_lost too) or by a run.
      return finished || (await store.getProcess(payload.processId))?.error?.code === 'job_lost';
    } catch {
      return false;
    }
  }

  private waitForResult(payload: JobPayload, waiting: Waiting, res: Response): Promise<ResultMessage | 'gone'> {
    const { results } = this.deps;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.cancel();
        // A last look under the result key: an answer published while the subscriber was away is not a 504.
        results.lastLook(payload.processId).then(
          async (message) => {
            if (message) return resolve(message);
            if (await this.jobLost(payload)) return resolve({ kind: 'error', processId: payload.processId, error: JOB_LOST_ERROR });
            this.log.warn('sync deadline passed', { requestId: payload.requestId, processId: payload.processId, urlId: payload.urlId });
            reject(new TimeoutError('the scenario did not answer before the deadline'));
          },
          () => reject(new TimeoutError('the scenario did not answer before the deadline')),
        );
      }, Math.max(0, payload.deadline - Date.now()));
      res.on('close', () => {
        if (res.writableFinished) return;
        clearTimeout(timer);
        waiting.cancel();
        resolve('gone');
      });
      waiting.result.then((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }
}
