/** A fetch failure whose message is meant for the scenario (a refused host or address, a body too large…). */
export class ScenarioFetchError extends Error {
  override readonly name = 'ScenarioFetchError';
}
