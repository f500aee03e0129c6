import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const VALID_REQUEST_ID = /^[\w.:-]{1,200}$/;

/** Per-request facts every later step needs, kept in `res.locals`. */
export interface RequestContext {
  requestId: string;
  /** Milliseconds since the epoch when the request arrived: sync deadlines count from here. */
  arrivedAt: number;
  processId?: string;
  urlId?: string;
  /** Set once the URL identifier names an active endpoint (metrics label only known endpoints). */
  endpointId?: string;
}

/** The context of a request that went through {@link requestContext}. */
export function contextOf(res: Response): RequestContext {
  return res.locals as RequestContext;
}

/**
 * First middleware: notes the arrival time and the request id (the caller's `X-Request-Id` when it is
 * sane, else a new one), which goes back in the response and into every log line and job.
 */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const arrivedAt = Date.now();
  const given = req.get('x-request-id');
  const requestId = given && VALID_REQUEST_ID.test(given) ? given : randomUUID();
  Object.assign(res.locals, { requestId, arrivedAt } satisfies RequestContext);
  res.setHeader('X-Request-Id', requestId);
  next();
}
