import { UnavailableError, capJson, type JobPayload } from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import type { WebrequestQueue } from '@webrequests/queue';
import type { NewProcess, Store } from '@webrequests/store';

/** What a {@link ProcessIntake} is built from. */
export interface ProcessIntakeDeps {
  store: Store;
  queue: WebrequestQueue;
  logger: Logger;
  /** Largest input kept in a record (PROCESS_RESULT_LIMIT). */
  resultLimit: number;
}

/** A store call whose failure the caller hears as 503. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new UnavailableError('the store cannot be reached', { cause: error });
  }
}

/**
 * Accepts a process: records it `queued`, then enqueues its job; on a failed enqueue the record goes,
 * so nothing is half-accepted. The public endpoint, replays and test runs all start processes here.
 */
export class ProcessIntake {
  private readonly log: Logger;

  constructor(private readonly deps: ProcessIntakeDeps) {
    this.log = deps.logger.child({ module: 'webrequest' });
  }

  async accept(payload: JobPayload, input: JobPayload['variables'], extra: Pick<NewProcess, 'replayOf' | 'test'> = {}): Promise<void> {
    const { store, queue } = this.deps;
    await storeCall(() =>
      store.createProcess({
        id: payload.processId,
        webrequestId: payload.webrequestId,
        scriptId: payload.scriptId,
        async: payload.async,
        requestId: payload.requestId,
        input: capJson(input, this.deps.resultLimit),
        createdAt: new Date().toISOString(),
        ...extra,
      }),
    );
    try {
      await queue.enqueue(payload);
    } catch (error) {
      // Not accepted: the record goes. If even that fails, the record would stay `queued` with no job;
      // the workers' reaper ends it (job_lost), and the log says why.
      await store.deleteProcess(payload.processId).catch((deleteError: unknown) =>
        this.log.error('a refused process could not be taken back: its record stays until the reaper ends it', { processId: payload.processId, error: String(deleteError) }),
      );
      throw new UnavailableError('the queue (Redis) cannot be reached', { cause: error });
    }
  }
}
