import { VMScript } from 'vm2';
import type { ScenarioVariables } from '@webrequests/contracts';
import { ScenarioSyntaxError } from './scenario-syntax-error';

const FILENAME = 'scenario.js';

/** Every scenario variable; a `Record` so the compiler fails when the contract gains or loses one. */
const VARIABLES: Record<keyof ScenarioVariables, true> = {
  event: true,
  script: true,
  user: true,
  url: true,
  method: true,
  headers: true,
  cookies: true,
  query: true,
  body: true,
  files: true,
  rawBody: true,
};

/** The names of the scenario variables, in the order a compiled scenario takes them. */
export const VARIABLE_NAMES: readonly string[] = Object.keys(VARIABLES);

/** The parameters of a compiled scenario, in order: the variables, then the run's `console`, `sleep` and `fetch`. */
const SCENARIO_PARAMETERS: readonly string[] = [...VARIABLE_NAMES, 'console', 'sleep', 'fetch'];

/** The constructor of async functions, which parses a source exactly as one function body. */
const AsyncFunction = (async () => undefined).constructor as new (body: string) => unknown;

/**
 * Makes the scenario a function of its run: an arrow taking the variables, `console`, `sleep` and `fetch` as
 * parameters and calling the scenario as the body of an inner async arrow, so per-run state lives in
 * parameters and the call's own scope, never in globals. The inner function is a scope of its own, so
 * a scenario may still declare `const body = …` as it could when the variables were globals. Arrows
 * keep `this` the sandbox's global object and leave `arguments` undefined, as before. The source starts
 * on line 1 of the wrapper, so a line number in a compile error is the scenario's own line; and only
 * `(async () => {` is open before it, so a source that closes the function and goes on outside it
 * still compiles here and meets the clearer check in {@link compileScenario}.
 *
 * Sloppy mode, deliberately. The built-ins a scenario sees are frozen and shared by every run of the
 * thread (see realm-guard.ts): in sloppy mode a write to them (`Array.prototype.x = …`,
 * `JSON.parse = …`) is silently ignored, where strict mode would throw a TypeError. Strict mode would
 * also turn scenarios that work today into syntax errors (`with`, legacy octal literals, `delete x`)
 * and undeclared assignments into ReferenceErrors, for every scenario already saved. A scenario that
 * wants strict mode can still start with `'use strict';`.
 */
function wrapScenario(source: string): string {
  return `(${SCENARIO_PARAMETERS.join(', ')}) => (async () => { ${source}\n })()`;
}

function syntaxMessage(error: unknown, sourceLines: number): string {
  if (!(error instanceof SyntaxError)) return `SyntaxError: ${String(error)}`;
  const line = Number(new RegExp(`^${FILENAME.replace('.', '\\.')}:(\\d+)`).exec(error.stack ?? '')?.[1]);
  // The wrapper's closing line is past the source: the source left something open.
  const where = !Number.isInteger(line) ? '' : line > sourceLines ? ' (at the end of the scenario)' : ` (line ${line})`;
  return `SyntaxError: ${error.message}${where}`;
}

/**
 * Compiles (never runs) a scenario into a script that any vm2 `VM` can run: running it answers the
 * scenario's function of the variables, `console`, `sleep` and `fetch`; it does not run the scenario. Throws
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
