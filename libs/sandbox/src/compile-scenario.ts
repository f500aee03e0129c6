import { VMScript } from 'vm2';
import { ScenarioSyntaxError } from './scenario-syntax-error';

const FILENAME = 'scenario.js';

/** The constructor of async functions, which parses a source exactly as one function body. */
const AsyncFunction = (async () => undefined).constructor as new (body: string) => unknown;

/**
 * Makes the scenario the body of an async function. The source starts on line 1 of the wrapper, so a
 * line number in a compile error is the scenario's own line.
 */
export function wrapScenario(source: string): string {
  return `(async () => { ${source}\n })()`;
}

function syntaxMessage(error: unknown, sourceLines: number): string {
  if (!(error instanceof SyntaxError)) return `SyntaxError: ${String(error)}`;
  const line = Number(new RegExp(`^${FILENAME.replace('.', '\\.')}:(\\d+)`).exec(error.stack ?? '')?.[1]);
  // The wrapper's closing line is past the source: the source left something open.
  const where = !Number.isInteger(line) ? '' : line > sourceLines ? ' (at the end of the scenario)' : ` (line ${line})`;
  return `SyntaxError: ${error.message}${where}`;
}

/**
 * Compiles (never runs) a scenario into a script that any vm2 `VM` can run; throws
 * {@link ScenarioSyntaxError} with a message naming the line.
 */
export function compileScenario(source: string): VMScript {
  if (typeof source !== 'string') throw new ScenarioSyntaxError('SyntaxError: the scenario source must be a string');
  let script: VMScript;
  try {
    script = new VMScript(wrapScenario(source), FILENAME).compile();
  } catch (error) {
    throw new ScenarioSyntaxError(syntaxMessage(error, source.split('\n').length));
  }
  try {
    // The wrapper would accept a source that closes the function and goes on outside it ("}); …"); the
    // function constructor parses the source as exactly one body. It compiles, it does not run.
    new AsyncFunction(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ScenarioSyntaxError(`SyntaxError: ${detail} (the scenario must be the body of one function: check for an extra closing bracket)`);
  }
  return script;
}
