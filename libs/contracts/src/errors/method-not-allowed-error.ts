import { AppError } from './app-error';

/** The path exists, but not with this method; `Allow` lists the ones it has. */
export class MethodNotAllowedError extends AppError {
  readonly code = 'method_not_allowed';
  readonly status = 405;

  constructor(message: string, allowed: string[]) {
    super(message);
    this.headers.Allow = allowed.join(', ');
  }
}
