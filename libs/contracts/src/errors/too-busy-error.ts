import { AppError } from './app-error';

/** Over the ingress's limit of waiting sync requests, or the queue's backlog limit; carries `Retry-After`. */
export class TooBusyError extends AppError {
  readonly code = 'too_busy';
  readonly status = 429;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}
