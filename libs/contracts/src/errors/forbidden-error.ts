import { AppError } from './app-error';

/** A caller whose address an endpoint's `allowIps` does not cover (SPEC §10). */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly status = 403;
}
