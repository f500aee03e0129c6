import { compileScenario } from './compile-scenario';
import { ScenarioSyntaxError } from './scenario-syntax-error';

/**
 * Compiles, without running, a scenario as the body of an async function, as the sandbox will. Answers
 * a message naming the problem and its line (`SyntaxError: Unexpected token ';' (line 3)`), or null when
 * the source compiles. For the admin API and the catalog loader, on save.
 */
export function checkSyntax(source: string): string | null {
  try {
    compileScenario(source);
    return null;
  } catch (error) {
    if (error instanceof ScenarioSyntaxError) return error.message;
    throw error;
  }
}
