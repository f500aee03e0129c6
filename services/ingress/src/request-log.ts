import type { RequestHandler } from 'express';
import type { Logger } from '@webrequests/logger';
import { contextOf } from './request-context';

/** One log line per request, when its answer is finished or the caller hung up. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.on('close', () => {
      const { requestId, arrivedAt, processId, urlId } = contextOf(res);
      logger.info('request', {
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
