import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { contextOf } from './request-context';

/** The queue counts the metrics read at scrape time (BullMQ's `Queue#getJobCounts`). */
export interface QueueCounts {
  getJobCounts(...states: Array<'waiting' | 'active'>): Promise<Record<string, number>>;
}

/** Label of requests whose URL names no active endpoint: any path would otherwise become a label value. */
const UNKNOWN_ENDPOINT = '(unknown)';
/** Status label of a request whose caller hung up before the answer (nginx's "client closed request"). */
const CALLER_GONE = '499';

/**
 * The ingress's Prometheus metrics, in a registry of its own: Node's defaults, requests to the public
 * endpoint and their latency by endpoint (`url_id`) and status, the store's calls by method, and the
 * queue's waiting and active jobs.
 */
export class IngressMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'url_id' | 'status'>;
  private readonly latency: Histogram<'url_id' | 'status'>;
  private readonly refusals: Counter<'url_id' | 'reason'>;
  private readonly duplicates: Counter<'url_id'>;
  private readonly storeOperations: Counter<'operation'>;

  constructor(queue: QueueCounts) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'webrequests_http_requests_total',
      help: 'Requests to the public endpoint, by endpoint urlId and HTTP status.',
      labelNames: ['url_id', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'webrequests_http_request_duration_seconds',
      help: 'Time from a request’s arrival to its answer, by endpoint urlId and HTTP status.',
      labelNames: ['url_id', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: 'webrequests_refused_requests_total',
      help: 'Requests an endpoint’s protection refused before any process (401, 403, 429), by endpoint urlId and reason.',
      labelNames: ['url_id', 'reason'],
      registers: [this.registry],
    });
    this.duplicates = new Counter({
      name: 'webrequests_duplicate_deliveries_total',
      help: 'Deliveries answered from an earlier one with the same de-duplication key (no new process), by endpoint urlId.',
      labelNames: ['url_id'],
      registers: [this.registry],
    });
    this.storeOperations = new Counter({
      name: 'webrequests_store_operations_total',
      help: 'Calls of the store (catalogs, process records, secrets) by this ingress, by Store method.',
      labelNames: ['operation'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'webrequests_queue_jobs',
      help: 'Jobs in the webrequest queue by state (waiting, active), read at scrape time.',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        try {
          const counts = await queue.getJobCounts('waiting', 'active');
          for (const state of ['waiting', 'active'] as const) this.labels(state).set(counts[state] ?? 0);
        } catch {
          // Redis is down: /readyz says so; the last counts stand rather than fail the whole scrape.
        }
      },
    });
  }

  /** Counts a request refused by its endpoint's protection; `reason` is a short code, never a secret. */
  refused(urlId: string, reason: string): void {
    this.refusals.inc({ url_id: urlId, reason });
  }

  /** Counts one call of the store (`createProcess`, `getWebRequestByUrlId`…); see `countedStore`. */
  storeOperation(operation: string): void {
    this.storeOperations.inc({ operation });
  }

  /** Counts a delivery answered as a duplicate of an earlier one. */
  duplicate(urlId: string): void {
    this.duplicates.inc({ url_id: urlId });
  }

  /** Counts and times every request of the public endpoint when its answer ends (or the caller hangs up). */
  readonly observeRequests: RequestHandler = (_req, res, next) => {
    res.on('close', () => {
      const context = contextOf(res);
      const labels = {
        url_id: context.endpointId && context.urlId ? context.urlId : UNKNOWN_ENDPOINT,
        status: res.writableFinished ? String(res.statusCode) : CALLER_GONE,
      };
      this.requests.inc(labels);
      this.latency.observe(labels, (Date.now() - context.arrivedAt) / 1000);
    });
    next();
  };
}
