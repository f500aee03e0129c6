import { AppError } from './app-error';

/** No such endpoint or record, or the endpoint is disabled. */
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly status = 404;
}
