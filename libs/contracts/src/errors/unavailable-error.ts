import { AppError } from './app-error';

/** Redis or the store cannot be reached; nothing was accepted. */
export class UnavailableError extends AppError {
  readonly code = 'unavailable';
  readonly status = 503;
}
