import { VMScript } from 'vm2';
import { SCENARIO_FILENAME, checkSyntax, wrapScenario } from '@webrequests/scenario-syntax';
import { ScenarioSyntaxError } from './scenario-syntax-error';

/**
 * Compiles (never runs) a scenario into a script that any vm2 `VM` can run: running it answers the
 * scenario's function of the variables, `console`, `sleep` and `fetch` (see `wrapScenario`); it does not
 * run the scenario. Throws {@link ScenarioSyntaxError} with a message naming the line: the same
 * message `checkSyntax` gave when the scenario was saved, since that is the check made first.
 */
export function compileScenario(source: string): VMScript {
  const problem = checkSyntax(source);
  if (problem) throw new ScenarioSyntaxError(problem);
  try {
    return new VMScript(wrapScenario(source), SCENARIO_FILENAME).compile();
  } catch (error) {
    // checkSyntax parses as vm2 does; a source only vm2 refuses is a gap in it, reported all the same.
    throw new ScenarioSyntaxError(`SyntaxError: ${error instanceof Error ? error.message : String(error)}`);
  }
}
