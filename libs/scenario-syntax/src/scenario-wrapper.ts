import type { RunVariables } from '@webrequests/contracts';

/** The file name a compiled scenario carries: what its errors and stack frames name. */
export const SCENARIO_FILENAME = 'scenario.js';

/** Every scenario variable; a `Record` so the compiler fails when the contract gains or loses one. */
const VARIABLES: Record<keyof RunVariables, true> = {
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
  secrets: true,
};

/** The names of the scenario variables, in the order a compiled scenario takes them. */
export const VARIABLE_NAMES: readonly string[] = Object.keys(VARIABLES);

/** The parameters of a compiled scenario, in order: the variables, then the run's `console`, `sleep` and `fetch`. */
export const SCENARIO_PARAMETERS: readonly string[] = [...VARIABLE_NAMES, 'console', 'sleep', 'fetch'];

/**
 * Makes the scenario a function of its run: an arrow taking the variables, `console`, `sleep` and `fetch` as
 * parameters and calling the scenario as the body of an inner async arrow, so per-run state lives in
 * parameters and the call's own scope, never in globals. The inner function is a scope of its own, so
 * a scenario may still declare `const body = …` as it could when the variables were globals. Arrows
 * keep `this` the sandbox's global object and leave `arguments` undefined. The source starts on line 1
 * of the wrapper, so a line number in a compile error is the scenario's own line; and only
 * `(async () => {` is open before it, so a source that closes the function and goes on outside it
 * still compiles here and meets the clearer check in {@link checkSyntax}.
 *
 * Sloppy mode, deliberately. The built-ins a scenario sees are frozen and shared by every run of the
 * sandbox thread: in sloppy mode a write to them (`Array.prototype.x = …`, `JSON.parse = …`) is
 * silently ignored, where strict mode would throw a TypeError. Strict mode would also turn scenarios
 * that work today into syntax errors (`with`, legacy octal literals, `delete x`) and undeclared
 * assignments into ReferenceErrors, for every scenario already saved. A scenario that wants strict mode
 * can still start with `'use strict';`.
 */
export function wrapScenario(source: string): string {
  return `(${SCENARIO_PARAMETERS.join(', ')}) => (async () => { ${source}\n })()`;
}
