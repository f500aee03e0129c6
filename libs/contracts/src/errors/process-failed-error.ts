import type { ProcessError } from '../catalog';
import { PROCESS_ERROR_STATUS, isProcessErrorCode, type ProcessErrorCode } from '../process-error-codes';
import { AppError } from './app-error';

/** A process that ended without output, as its sync caller is told: its own code, with that code's status. */
export class ProcessFailedError extends AppError {
  readonly code: ProcessErrorCode;
  readonly status: number;

  constructor(error: ProcessError) {
    super(error.message);
    // A code from an older record or a newer worker that this build does not know is an internal error.
    this.code = isProcessErrorCode(error.code) ? error.code : 'internal_error';
    this.status = PROCESS_ERROR_STATUS[this.code];
  }
}
