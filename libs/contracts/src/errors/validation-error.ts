import { AppError } from './app-error';

/** An admin API request failed validation; `field` names the offending field (dotted path). */
export class ValidationError extends AppError {
  readonly code = 'invalid_request';
  readonly status = 400;

  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.details.field = field;
  }
}
