import express, { type Request, type RequestHandler, type Response } from 'express';
import {
  ConflictError,
  FINAL_STATUSES,
  NotFoundError,
  TimeoutError,
  TooBusyError,
  UnavailableError,
  answerOfRecord,
  assertNever,
  type EndpointAuth,
  type JobPayload,
  type ProcessRecord,
  type WebRequest,
} from '@webrequests/contracts';
import type { Config } from '@webrequests/config';
import type { Logger } from '@webrequests/logger';
import { dedupKeyOf, dedupKeySource } from '@webrequests/protection';
import type { DirectResultMessage, EndpointLimits, ResultChannel, WebrequestQueue } from '@webrequests/queue';
import { newId, type Store } from '@webrequests/store';
import { answerPreflight, applyCorsHeaders, ingressHandlesCors, isPreflight } from './endpoint-cors';
import type { EndpointCache } from './endpoint-cache';
import type { EndpointGuard } from './endpoint-guard';
import { fromProcessError } from './error-handler';
import type { IngressMetrics } from './ingress-metrics';
import { parseBody, type ParsedBody } from './parse-body';
import { storeCall, type ProcessIntake } from './process-intake';
import { contextOf } from './request-context';
import { requestVariables } from './request-variables';
import type { ResultWaiter } from './result-waiter';
import { sendResponse } from './send-response';

/** What the public endpoint needs. */
export interface WebrequestDeps {
  config: Config;
  store: Store;
  queue: WebrequestQueue;
  results: ResultChannel;
  logger: Logger;
  guard: EndpointGuard;
  limits: EndpointLimits;
  metrics: IngressMetrics;
  intake: ProcessIntake;
  waiter: ResultWaiter;
  /** The endpoints, kept in memory between changes. */
  endpoints: EndpointCache;
}

const URL_ID = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** A delivery's de-duplication key, and how long it is remembered. */
interface Delivery {
  key: string;
  windowMs: number;
}

/** A first delivery that ended so leaves its key to the next one: the sender's retry runs again. */
const RETRIED_STATUSES: readonly ProcessRecord['status'][] = ['failed', 'aborted'];

/**
 * How long past its deadline a process may still hold a `maxConcurrent` slot: a worker that died
 * mid-run loses the job to another only after its lock expires (milliseconds).
 */
const LEASE_MARGIN_MS = 60_000;
/** How long a duplicate waits for the first delivery's record to appear before it gives up (milliseconds). */
const ORIGINAL_RECORD_WAIT_MS = 5_000;

/** The URL identifier of a path under `/api/webrequest`, a trailing slash ignored; null when invalid. */
export function urlIdOf(path: string): string | null {
  const urlId = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return urlId.length >= 1 && urlId.length <= 200 && URL_ID.test(urlId) ? urlId : null;
}

function readRaw(parser: RequestHandler, req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    parser(req, res, (error?: unknown) => {
      if (error) reject(error);
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    });
  });
}

async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new UnavailableError('the queue (Redis) cannot be reached', { cause: error });
  }
}

/**
 * The request's headers without the credential its endpoint's `auth` checked: a bearer token, Basic
 * password or API key header *is* the secret's value, which no job, record, log or dashboard may hold
 * (SPEC §5, §10); the scenario learns what passed from `event.auth`. Signatures (hmac) stay: they are
 * not the secret, and a scenario may check them again.
 */
function withoutCredential(headers: Record<string, string | string[]>, auth: EndpointAuth | undefined): Record<string, string | string[]> {
  const credential = auth?.type === 'bearer' || auth?.type === 'basic' ? 'authorization' : auth?.type === 'header' ? auth.header.toLowerCase() : null;
  if (credential === null || !Object.hasOwn(headers, credential)) return headers;
  const { [credential]: _credential, ...rest } = headers;
  return rest;
}

/** The answer a recorded process gave; 409 when its record does not hold the output whole. */
function recordedAnswer(record: ProcessRecord): DirectResultMessage {
  const answer = answerOfRecord(record);
  if (!answer) throw new ConflictError('the original answer was larger than PROCESS_RESULT_LIMIT, so it was not kept whole');
  return answer;
}

/**
 * `ANY /api/webrequest/{urlId}` (SPEC §3, §10): checks the endpoint's protection (allowIps, auth,
 * de-duplication, maxConcurrent), turns the request into a job, then answers at once (async) or with the
 * scenario's output once the worker publishes it (sync), within the deadline counted from the request's
 * arrival.
 */
export function webrequestHandler(deps: WebrequestDeps): RequestHandler {
  const { config, store, queue, results, guard, limits, metrics, intake, waiter, endpoints } = deps;
  const rawParser = express.raw({ type: () => true, limit: config.http.maxBodyBytes });
  const log = deps.logger.child({ module: 'webrequest' });
  const origin = { publicUrl: config.http.publicUrl, trustProxy: config.http.trustProxy !== false && config.http.trustProxy !== 0, port: config.http.port };

  return async (req, res) => {
    const context = contextOf(res);
    const urlId = urlIdOf(req.path);
    if (!urlId) throw new NotFoundError('no endpoint has this URL identifier');
    context.urlId = urlId;
    const served = await storeCall(() => endpoints.byUrlId(urlId));
    if (!served || served.endpoint.status !== 'active') throw new NotFoundError(`no active endpoint "${urlId}"`);
    const { endpoint } = served;
    context.endpointId = endpoint.id;
    if (ingressHandlesCors(endpoint)) {
      applyCorsHeaders(endpoint, req, res);
      if (isPreflight(req)) return answerPreflight(endpoint, req, res);
    }

    const rawBody = await readRaw(rawParser, req, res);
    // Allowed and authenticated before a byte of the body is parsed.
    const passed = await guard.check(endpoint, req, rawBody);
    const parsed = await parseBody(rawBody, req.headers);
    const isAsync = ['true', '1'].includes(String(req.query.async));
    admit(isAsync);
    const processId = newId();
    const variables = requestVariables(req, endpoint, isAsync, parsed, origin);
    if (passed) {
      variables.event.auth = passed;
      variables.headers = withoutCredential(variables.headers, endpoint.auth);
    }
    const deadline = isAsync ? Date.now() + config.limits.asyncTimeoutMs : context.arrivedAt + Math.min(endpoint.timeoutMs ?? Infinity, config.limits.syncTimeoutMs);

    const delivery = deliveryOf(endpoint, req, parsed);
    if (delivery) {
      const original = await firstDelivery(endpoint, delivery, processId);
      if (original) return answerDuplicate(endpoint, delivery, original, isAsync, deadline, res);
    }
    // The body once: left out where the worker gets it back from rawBody (see JobPayload.bodyFrom).
    const { body: _derived, ...withoutBody } = variables;
    const payload: JobPayload = {
      processId,
      requestId: context.requestId,
      webrequestId: endpoint.id,
      urlId,
      scriptId: endpoint.scriptId,
      ...(served.scriptVersion ? { scriptVersion: served.scriptVersion } : {}),
      async: isAsync,
      deadline,
      replyTo: isAsync ? null : results.name,
      variables: parsed.bodyFrom ? (withoutBody as JobPayload['variables']) : variables,
      ...(parsed.bodyFrom ? { bodyFrom: parsed.bodyFrom } : {}),
      ...(endpoint.secrets?.length ? { secretNames: endpoint.secrets } : {}),
      ...(endpoint.maxConcurrent ? { leased: true } : {}),
    };
    // Subscribe (register the waiter) before enqueueing, or a fast worker's answer is missed.
    const waiting = isAsync ? null : results.expect(processId);
    try {
      if (endpoint.maxConcurrent) await admitUnderLimit(endpoint, processId, deadline, context.requestId);
      await intake.accept(payload, variables);
    } catch (error) {
      waiting?.cancel();
      await giveBack(endpoint, processId, delivery, payload.leased === true);
      throw error;
    }
    // Only now is there a process to name: a refused request carries no process id (nothing half-accepted).
    context.processId = processId;
    if (!waiting) {
      res.status(200).set('X-Process-Id', processId).end();
      return;
    }
    const answer = await waiter.answerOf(payload, waiting, res);
    if (answer !== 'gone') answerWith(answer, res);
  };

  function admit(isAsync: boolean): void {
    if (!isAsync && results.waiting >= config.limits.maxPendingSync) {
      throw new TooBusyError('too many requests are waiting for an answer; retry shortly', 1);
    }
    if (queue.waitingCount >= config.limits.maxQueueBacklog) {
      throw new TooBusyError('the queue backlog is over its limit; retry later', 5);
    }
  }

  /** The delivery's de-duplication key and window, or null when the endpoint or the request has none. */
  function deliveryOf(endpoint: WebRequest, req: Request, parsed: ParsedBody): Delivery | null {
    if (!endpoint.dedup) return null;
    const source = dedupKeySource(endpoint.dedup, endpoint.auth);
    const key = source ? dedupKeyOf(source, { headers: req.headers, query: req.query as Record<string, unknown>, body: parsed.body }) : null;
    return key === null ? null : { key, windowMs: endpoint.dedup.windowSeconds * 1000 };
  }

  /**
   * Claims the delivery's key for `processId`: null when this request is the delivery's first run,
   * else the process of the first. A first delivery that failed or was aborted gives its key up to
   * the sender's retry, which runs anew: a provider retries because the first attempt failed.
   */
  async function firstDelivery(endpoint: WebRequest, delivery: Delivery, processId: string): Promise<string | null> {
    let original: string | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      original = await redisCall(() => limits.claimDelivery(endpoint.id, delivery.key, processId, delivery.windowMs));
      if (original === null) return null;
      const record = await storeCall(() => store.getProcess(original!));
      if (!record || !RETRIED_STATUSES.includes(record.status)) return original;
      log.info('repeated delivery runs again: the first one did not complete', { urlId: endpoint.urlId, firstProcessId: original, firstStatus: record.status });
      await redisCall(() => limits.forgetDelivery(endpoint.id, delivery.key, original!));
    }
    return original;
  }

  async function admitUnderLimit(endpoint: WebRequest, processId: string, deadline: number, requestId: string): Promise<void> {
    const admitted = await redisCall(() => limits.admit(endpoint.id, processId, endpoint.maxConcurrent!, deadline - Date.now() + LEASE_MARGIN_MS));
    if (!admitted) {
      metrics.refused(endpoint.urlId, 'max_concurrent');
      log.warn('request refused', { requestId, urlId: endpoint.urlId, webrequestId: endpoint.id, reason: 'max_concurrent', limit: endpoint.maxConcurrent });
      throw new TooBusyError(`this endpoint runs at most ${endpoint.maxConcurrent} processes at once; retry shortly`, 1);
    }
  }

  /** Frees what a request that was not accepted claimed: its delivery (so the sender's retry runs) and its slot. */
  async function giveBack(endpoint: WebRequest, processId: string, delivery: { key: string } | null, leased: boolean): Promise<void> {
    const undo = [
      delivery ? limits.forgetDelivery(endpoint.id, delivery.key, processId) : null,
      leased ? limits.release(endpoint.id, processId) : null,
    ];
    const outcomes = await Promise.allSettled(undo);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') log.warn('could not give back what a refused request claimed; it expires by itself', { processId, error: String(outcome.reason) });
    }
  }

  /**
   * A delivery seen within the window: no new process. Async callers get the first delivery's process
   * id at once; sync callers its answer, once it has one.
   */
  async function answerDuplicate(endpoint: WebRequest, delivery: Delivery, originalId: string, isAsync: boolean, deadline: number, res: Response): Promise<void> {
    const replayed = (): void => {
      metrics.duplicate(endpoint.urlId);
      log.info('duplicate delivery answered from the first', { urlId: endpoint.urlId, processId: originalId });
      contextOf(res).processId = originalId;
      res.set('Idempotent-Replayed', 'true').set('X-Process-Id', originalId);
    };
    if (isAsync) {
      replayed();
      res.status(200).end();
      return;
    }
    const record = await finalRecord(endpoint, delivery, originalId, deadline, res);
    if (record === 'gone') return;
    replayed();
    answerWith(recordedAnswer(record), res);
  }

  /**
   * Polls a process's record until it is final; 504 at the deadline (after a last look). A record that
   * does not appear belongs to a first delivery that was refused after it claimed the key (and gave it
   * back): 503, so that the sender retries.
   */
  async function finalRecord(endpoint: WebRequest, delivery: Delivery, processId: string, deadline: number, res: Response): Promise<ProcessRecord | 'gone'> {
    const firstLook = Date.now();
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      if (res.destroyed) return 'gone';
      const record = await storeCall(() => store.getProcess(processId));
      if (record && FINAL_STATUSES.includes(record.status)) return record;
      const given = !record && Date.now() - firstLook >= 100 && (await redisCall(() => limits.deliveryOwner(endpoint.id, delivery.key))) !== processId;
      if (given || (!record && Date.now() - firstLook > ORIGINAL_RECORD_WAIT_MS)) {
        const error = new UnavailableError('the first delivery with this key was not accepted; retry', { cause: `no record ${processId}` });
        error.headers['Retry-After'] = '1';
        throw error;
      }
      // Up to the deadline itself, with a last look there: giving up a poll early would answer 504 to a
      // duplicate whose first delivery ends in time.
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError('the first delivery with this key did not answer before the deadline');
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    }
  }

  function answerWith(message: DirectResultMessage, res: Response): void {
    switch (message.kind) {
      case 'response':
        sendResponse(res, message.response);
        return;
      case 'error':
        throw fromProcessError(message.error);
      default:
        assertNever(message);
    }
  }
}
