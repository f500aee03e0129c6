import type { RequestHandler } from 'express';
import type { Logger } from '@webrequests/logger';
import { contextOf } from './request-context';

/** Probes and scrapes: polled every few seconds by load balancers and Prometheus, so logged at `debug`. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/**
 * One log line per request, when its answer is finished or the caller hung up: at `info`, except
 * health checks and metric scrapes (`debug`), which would otherwise drown the lines that matter.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.on('close', () => {
      const { requestId, arrivedAt, processId, urlId } = contextOf(res);
      const level = PROBE_PATHS.has(req.path) ? 'debug' : 'info';
      logger.log(level, 'request', {
        requestId,
        processId,
        urlId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        finished: res.writableFinished,
        durationMs: Date.now() - arrivedAt,
      });
    });
    next();
  };
}
