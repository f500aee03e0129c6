import type { Response } from 'express';
import type { ResponseSpec } from '@webrequests/contracts';

/** Writes a worker-validated {@link ResponseSpec} as the HTTP answer. */
export function sendResponse(res: Response, spec: ResponseSpec): void {
  res.status(spec.status);
  for (const [name, value] of Object.entries(spec.headers)) res.setHeader(name, value);
  res.end(spec.bodyBase64 === null ? undefined : Buffer.from(spec.bodyBase64, 'base64'));
}
