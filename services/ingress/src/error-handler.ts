import type { ErrorRequestHandler } from 'express';
import {
  AppError,
  InvalidBodyError,
  PayloadTooLargeError,
  ProcessFailedError,
  TimeoutError,
  type ProcessError,
} from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import { contextOf } from './request-context';

/** body-parser reports its failures with a `type`; these are the caller's fault, not ours. */
function fromBodyParser(error: { type?: string; message?: string; code?: unknown }): AppError | undefined {
  // A body that does not decompress per its Content-Encoding comes through from zlib, untyped: Z_* for
  // gzip and deflate, ERR__ERROR_* / ERR_BROTLI_* for brotli.
  if (typeof error.code === 'string' && /^(Z_|ERR__ERROR_|ERR_BROTLI_)/.test(error.code)) {
    return new InvalidBodyError('the body cannot be decoded with its Content-Encoding');
  }
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError('the request body is larger than the limit (MAX_BODY_BYTES)');
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'entity.parse.failed':
    case 'entity.verify.failed':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new InvalidBodyError(error.message ?? 'malformed body');
    case 'request.aborted':
      return new InvalidBodyError('the request was aborted while its body was read');
    default:
      return undefined;
  }
}

/** The caller-facing error for a process that ended without output: its own code, with the status PROCESS_ERROR_STATUS gives it. */
export function fromProcessError(error: ProcessError): AppError {
  return error.code === 'timeout' ? new TimeoutError(error.message) : new ProcessFailedError(error);
}

/**
 * The one place errors become answers: JSON `{"error": {"code", "message", "processId"?}}` with the
 * request id; known errors with their status, anything else logged and answered as a generic 500, never
 * with a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const context = contextOf(res);
    const known = error instanceof AppError ? error : fromBodyParser(error as { type?: string });
    if (!known) logger.error('unexpected error', { requestId: context.requestId, error });
    // Our own failures (503, 500 from a store or sandbox fault) are logged with their cause; the caller
    // sees only the code and message.
    else if (known.status >= 500 && known.cause !== undefined) {
      logger.warn(known.message, { requestId: context.requestId, processId: context.processId, code: known.code, cause: String(known.cause) });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = known?.status ?? 500;
    const body = {
      code: known?.code ?? 'internal',
      message: known?.message ?? 'internal error',
      ...(context.processId ? { processId: context.processId } : {}),
      ...(known?.details ?? {}),
    };
    if (known) res.set(known.headers);
    if (known instanceof TimeoutError) res.set('Connection', 'close');
    res.status(status).json({ error: body });
  };
}
