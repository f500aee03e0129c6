import { Script } from 'node:vm';
import { Parser } from 'acorn';
import { SCENARIO_FILENAME, wrapScenario } from './scenario-wrapper';

/**
 * The language level the sandbox accepts. vm2 parses every scenario with acorn at this level before
 * V8 compiles it (to instrument it), so syntax newer than this fails there even where V8 would take it.
 * Keep it equal to vm2's (`lib/transformer.js`); the sandbox's tests check the two agree.
 */
const ECMA_VERSION = 2022;

/** vm2 refuses any source that names its internal state; refusing it here keeps the check exact. */
const VM2_INTERNAL_NAME = 'VM2_INTERNAL_STATE_DO_NOT_USE_OR_PROGRAM_WILL_FAIL';

/** The constructor of async functions, which parses a source exactly as one function body. */
const AsyncFunction = (async () => undefined).constructor as new (body: string) => unknown;

/** `(line 3)`, or `(at the end of the scenario)` when the error lies past the source's last line. */
function where(line: number | undefined, sourceLines: number): string {
  if (line === undefined || !Number.isInteger(line)) return '';
  return line > sourceLines ? ' (at the end of the scenario)' : ` (line ${line})`;
}

function v8Problem(wrapped: string, sourceLines: number): string | null {
  try {
    new Script(wrapped, { filename: SCENARIO_FILENAME });
    return null;
  } catch (thrown) {
    // Not `instanceof Error`: under Jest the compiler's errors come from another realm.
    const error = thrown as { name?: unknown; message?: unknown; stack?: unknown };
    if (error?.name !== 'SyntaxError') return `SyntaxError: ${String(error?.message ?? thrown)}`;
    const line = Number(new RegExp(`^${SCENARIO_FILENAME.replace('.', '\\.')}:(\\d+)`).exec(String(error.stack ?? ''))?.[1]);
    return `SyntaxError: ${String(error.message)}${where(line, sourceLines)}`;
  }
}

function acornProblem(wrapped: string, sourceLines: number): string | null {
  try {
    Parser.parse(wrapped, { ecmaVersion: ECMA_VERSION, sourceType: 'script', locations: true });
    return null;
  } catch (error) {
    const { message, loc } = error as { message: string; loc?: { line: number } };
    const detail = message.replace(/ \(\d+:\d+\)$/, '');
    return `SyntaxError: ${detail} (the sandbox takes JavaScript up to ES${ECMA_VERSION})${where(loc?.line, sourceLines)}`;
  }
}

/**
 * Compiles, without running, a scenario as the body of an async function, as the sandbox will. Answers
 * a message naming the problem and its line (`SyntaxError: Unexpected token ';' (line 3)`), or null when
 * the source compiles. For the admin API, the catalog loader and the sandbox itself; it needs neither
 * vm2 nor a thread, so the ingress can check on save without loading the sandbox.
 */
export function checkSyntax(source: string): string | null {
  if (typeof source !== 'string') return 'SyntaxError: the scenario source must be a string';
  const wrapped = wrapScenario(source);
  const lines = source.split('\n').length;
  const problem = v8Problem(wrapped, lines) ?? acornProblem(wrapped, lines);
  if (problem) return problem;
  if (source.includes(VM2_INTERNAL_NAME)) return `SyntaxError: the name ${VM2_INTERNAL_NAME} is reserved by the sandbox`;
  try {
    // The wrapper would accept a source that closes the function and goes on outside it ("}); …"); the
    // function constructor parses the source as exactly one body. It compiles, it does not run.
    new AsyncFunction(source);
  } catch (thrown) {
    const detail = String((thrown as { message?: unknown })?.message ?? thrown);
    return `SyntaxError: ${detail} (the scenario must be the body of one function: check for an extra closing bracket)`;
  }
  return null;
}
