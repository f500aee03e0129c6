import express, { type Request, type RequestHandler, type Response } from 'express';
import {
  NotFoundError,
  TimeoutError,
  TooBusyError,
  UnavailableError,
  assertNever,
  capJson,
  JOB_LOST_ERROR,
  type JobPayload,
  type ResultMessage,
  type WebRequest,
} from '@webrequests/contracts';
import type { Config } from '@webrequests/config';
import type { Logger } from '@webrequests/logger';
import type { DirectResultMessage, ResultChannel, WebrequestQueue } from '@webrequests/queue';
import { failedWithoutRun, newId, type Store } from '@webrequests/store';
import { answerPreflight, applyCorsHeaders, ingressHandlesCors, isPreflight } from './endpoint-cors';
import { fromProcessError } from './error-handler';
import { parseBody } from './parse-body';
import { contextOf } from './request-context';
import { requestVariables } from './request-variables';
import { sendResponse } from './send-response';

/** What the public endpoint needs. */
export interface WebrequestDeps {
  config: Config;
  store: Store;
  queue: WebrequestQueue;
  results: ResultChannel;
  logger: Logger;
}

type Waiting = ReturnType<ResultChannel['expect']>;

/** Longest the ingress waits for Redis to hand over a stored answer (milliseconds). */
const STORED_READ_TIMEOUT_MS = 10_000;

const URL_ID = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** The URL identifier of a path under `/api/webrequest`, a trailing slash ignored; null when invalid. */
export function urlIdOf(path: string): string | null {
  const urlId = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return urlId.length >= 1 && urlId.length <= 200 && URL_ID.test(urlId) ? urlId : null;
}

async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new UnavailableError('the store cannot be reached', { cause: error });
  }
}

function readRaw(parser: RequestHandler, req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    parser(req, res, (error?: unknown) => {
      if (error) reject(error);
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    });
  });
}

/**
 * `ANY /api/webrequest/{urlId}` (SPEC §3): turns the request into a job, then answers at once (async)
 * or with the scenario's output once the worker publishes it (sync), within the deadline counted from
 * the request's arrival.
 */
export function webrequestHandler(deps: WebrequestDeps): RequestHandler {
  const { config, store, queue, results } = deps;
  const rawParser = express.raw({ type: () => true, limit: config.http.maxBodyBytes });
  const log = deps.logger.child({ module: 'webrequest' });
  const origin = { publicUrl: config.http.publicUrl, trustProxy: config.http.trustProxy !== false && config.http.trustProxy !== 0, port: config.http.port };

  return async (req, res) => {
    const context = contextOf(res);
    const urlId = urlIdOf(req.path);
    if (!urlId) throw new NotFoundError('no endpoint has this URL identifier');
    context.urlId = urlId;
    const endpoint = await storeCall(() => store.getWebRequestByUrlId(urlId));
    if (!endpoint || endpoint.status !== 'active') throw new NotFoundError(`no active endpoint "${urlId}"`);
    context.endpointId = endpoint.id;
    if (ingressHandlesCors(endpoint)) {
      applyCorsHeaders(endpoint, req, res);
      if (isPreflight(req)) return answerPreflight(endpoint, req, res);
    }

    const parsed = await parseBody(await readRaw(rawParser, req, res), req.headers);
    const isAsync = ['true', '1'].includes(String(req.query.async));
    admit(isAsync);
    const processId = newId();
    const variables = requestVariables(req, endpoint, isAsync, parsed, origin);
    // The body once: left out where the worker gets it back from rawBody (see JobPayload.bodyFrom).
    const { body: _derived, ...withoutBody } = variables;
    const payload: JobPayload = {
      processId,
      requestId: context.requestId,
      webrequestId: endpoint.id,
      urlId,
      scriptId: endpoint.scriptId,
      async: isAsync,
      deadline: isAsync ? Date.now() + config.limits.asyncTimeoutMs : context.arrivedAt + config.limits.syncTimeoutMs,
      replyTo: isAsync ? null : results.name,
      variables: parsed.bodyFrom ? (withoutBody as JobPayload['variables']) : variables,
      ...(parsed.bodyFrom ? { bodyFrom: parsed.bodyFrom } : {}),
    };
    // Subscribe (register the waiter) before enqueueing, or a fast worker's answer is missed.
    const waiting = isAsync ? null : results.expect(processId);
    try {
      await accept(payload, endpoint, variables);
    } catch (error) {
      waiting?.cancel();
      throw error;
    }
    // Only now is there a process to name: a refused request carries no process id (nothing half-accepted).
    context.processId = processId;
    if (!waiting) {
      res.status(200).set('X-Process-Id', processId).end();
      return;
    }
    await answerSync(payload, waiting, res);
  };

  function admit(isAsync: boolean): void {
    if (!isAsync && results.waiting >= config.limits.maxPendingSync) {
      throw new TooBusyError('too many requests are waiting for an answer; retry shortly', 1);
    }
    if (queue.waitingCount >= config.limits.maxQueueBacklog) {
      throw new TooBusyError('the queue backlog is over its limit; retry later', 5);
    }
  }

  /** Records the process, then enqueues it; on a failed enqueue the record goes, so nothing is half-accepted. */
  async function accept(payload: JobPayload, endpoint: WebRequest, variables: JobPayload['variables']): Promise<void> {
    await storeCall(() =>
      store.createProcess({
        id: payload.processId,
        webrequestId: endpoint.id,
        scriptId: endpoint.scriptId,
        async: payload.async,
        requestId: payload.requestId,
        input: capJson(variables, config.processes.resultLimit),
        createdAt: new Date().toISOString(),
      }),
    );
    try {
      await queue.enqueue(payload);
    } catch (error) {
      // Not accepted: the record goes. If even that fails, the record would stay `queued` with no job;
      // the workers' reaper ends it (job_lost), and the log says why.
      await store.deleteProcess(payload.processId).catch((deleteError: unknown) =>
        log.error('a refused process could not be taken back: its record stays until the reaper ends it', { processId: payload.processId, error: String(deleteError) }),
      );
      throw new UnavailableError('the queue (Redis) cannot be reached', { cause: error });
    }
  }

  /** Answers a sync request with the worker's result, or 504 at the deadline. */
  async function answerSync(payload: JobPayload, waiting: Waiting, res: Response): Promise<void> {
    const message = await waitForResult(payload, waiting, res);
    if (message === 'gone') return;
    await answerWith(message, res);
  }

  async function answerWith(message: ResultMessage, res: Response): Promise<void> {
    switch (message.kind) {
      case 'response':
        sendResponse(res, message.response);
        return;
      case 'error':
        throw fromProcessError(message.error);
      case 'stored': {
        // The answer is in; reading it back is not bound by the deadline (a completed process never
        // answers 504), only by its own time limit.
        const stored = await takeStored(message, res);
        if (stored !== 'gone') await answerWith(stored, res);
        return;
      }
      default:
        assertNever(message);
    }
  }

  /** The answer a `stored` message points at; 503 when Redis fails or no longer holds it. */
  async function takeStored(pointer: Extract<ResultMessage, { kind: 'stored' }>, res: Response): Promise<DirectResultMessage | 'gone'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${STORED_READ_TIMEOUT_MS} ms`)), STORED_READ_TIMEOUT_MS);
    });
    const hungUp = new Promise<'gone'>((resolve) => res.on('close', () => (res.writableFinished ? undefined : resolve('gone'))));
    let stored: DirectResultMessage | null | 'gone';
    try {
      stored = await Promise.race([results.take(pointer), timeout, hungUp]);
    } catch (error) {
      throw new UnavailableError('the answer could not be read back from Redis', { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (stored === null) {
      log.warn('stored answer missing', { processId: pointer.processId, key: pointer.key, bytes: pointer.bytes });
      throw new UnavailableError('the answer was stored in Redis but is no longer there');
    }
    return stored;
  }

  /**
   * At the deadline, whether the process's job is gone from Redis (a restart without persistence): then
   * its caller hears `job_lost`, not `timeout`, and its record is ended so (the workers' reaper would do
   * it later). False when Redis cannot tell.
   */
  async function jobLost(payload: JobPayload): Promise<boolean> {
    try {
      if ((await queue.queue.getJobState(payload.processId)) !== 'unknown') return false;
      const finished = await store.finishProcess(payload.processId, failedWithoutRun(JOB_LOST_ERROR));
      if (finished) log.warn('process failed: its job is gone', { processId: payload.processId, errorCode: 'job_lost' });
      // Not finished here: ended already, by the reaper (job_lost too) or by a run.
      return finished || (await store.getProcess(payload.processId))?.error?.code === 'job_lost';
    } catch {
      return false;
    }
  }

  function waitForResult(payload: JobPayload, waiting: Waiting, res: Response): Promise<ResultMessage | 'gone'> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.cancel();
        // A last look under the result key: an answer published while the subscriber was away is not a 504.
        results.lastLook(payload.processId).then(
          async (message) => {
            if (message) return resolve(message);
            if (await jobLost(payload)) return resolve({ kind: 'error', processId: payload.processId, error: JOB_LOST_ERROR });
            log.warn('sync deadline passed', { requestId: payload.requestId, processId: payload.processId, urlId: payload.urlId });
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
