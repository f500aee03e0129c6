import { AppError } from './app-error';

/** The request body is malformed for its declared content type. */
export class InvalidBodyError extends AppError {
  readonly code = 'invalid_body';
  readonly status = 400;
}
