export { checkSyntax } from './check-syntax';
export { SCENARIO_FILENAME, SCENARIO_PARAMETERS, VARIABLE_NAMES, wrapScenario } from './scenario-wrapper';
