import { AppError } from './app-error';

/** The scenario threw, or its output is not a valid response. */
export class ScenarioFailedError extends AppError {
  readonly code = 'scenario_failed';
  readonly status = 500;
}
