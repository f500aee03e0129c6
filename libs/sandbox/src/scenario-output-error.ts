/** The scenario's return value cannot be an output (not an object, or not serialisable). */
export class ScenarioOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioOutputError';
  }
}
