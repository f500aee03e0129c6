import { AppError } from './app-error';

/** Missing or wrong admin credentials. */
export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  readonly status = 401;
}
