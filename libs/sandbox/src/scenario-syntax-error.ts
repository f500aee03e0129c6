/** The scenario's source does not compile; `message` names the problem and its line, never a host path. */
export class ScenarioSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioSyntaxError';
  }
}
