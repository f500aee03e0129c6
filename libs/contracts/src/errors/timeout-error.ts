import { AppError } from './app-error';

/** The synchronous deadline passed. */
export class TimeoutError extends AppError {
  readonly code = 'timeout';
  readonly status = 504;
}
