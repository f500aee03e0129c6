import { AppError } from './app-error';

/** The request body is over `MAX_BODY_BYTES`. */
export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}
