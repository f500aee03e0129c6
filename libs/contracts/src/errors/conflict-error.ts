import { AppError } from './app-error';

/** A duplicate `urlId`, or a record still in use. */
export class ConflictError extends AppError {
  readonly code = 'conflict';
  readonly status = 409;
}
