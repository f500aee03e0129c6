import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { AppError, ScenarioFailedError, URL_ID_PATTERN, toResponseSpec, type ProcessError, type ResponseSpec, type SandboxOutcome, type ScenarioVariables } from '@webrequests/contracts';
import type { Config } from '@webrequests/config';
import { describedRequestVariables, parseDescribedRequest, type DescribedRequest } from '@webrequests/ingress';
import { createLogger } from '@webrequests/logger';
import { checkSyntax } from '@webrequests/scenario-syntax';
import { maskedError, maskedLogs, secretMasker, startSandbox } from '@webrequests/worker';
import { answerLines, errorLines, logLines } from './answer-lines';
import { CommandError } from './command-error';

/** What `catalog run` was asked to do. */
export interface ScenarioRun {
  /** The scenario's source file. */
  file: string;
  /** A JSON file describing the request; absent: a GET with no body. */
  requestFile: string | undefined;
  /** The values of `secrets`, by name. */
  secrets: Record<string, string>;
}

/** The endpoint a local run stands for: the file's name is its scenario and its urlId. */
function localEndpoint(file: string): { id: string; scriptId: string; urlId: string } {
  const name = basename(file, extname(file));
  return { id: 'local', scriptId: name, urlId: URL_ID_PATTERN.test(name) ? name : 'local' };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new CommandError(`catalog: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : message}`);
  }
}

/** `x.js:3: SyntaxError: …`, the line taken out of checkSyntax's `(line 3)`. */
function syntaxProblem(file: string, problem: string): string {
  const line = / \(line (\d+)\)$/.exec(problem);
  return line ? `${file}:${line[1]}: ${problem.slice(0, line.index)}` : `${file}: ${problem}`;
}

function requestOf(file: string): DescribedRequest {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(`catalog: ${file} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseDescribedRequest(json);
  } catch (error) {
    throw new CommandError(`catalog: ${file}: ${(error as Error).message}`);
  }
}

/** The variables the request gives; a body that does not parse as its content type is the request file's fault. */
async function variablesOf(run: ScenarioRun, request: DescribedRequest, config: Config): Promise<ScenarioVariables> {
  try {
    return await describedRequestVariables(request, localEndpoint(run.file), config.http);
  } catch (error) {
    if (error instanceof AppError) throw new CommandError(`catalog: ${run.requestFile}: ${error.code}: ${error.message}`);
    throw error;
  }
}

/**
 * Runs the source once in the sandbox the worker would start (SANDBOX_* and SCENARIO_FETCH_* apply), with
 * one sandbox process (or thread) instead of WORKER_CONCURRENCY, since there is one run; under the sync
 * deadline; closed after, so the command ends at once.
 */
async function runOnce(config: Config, source: string, file: string, variables: ScenarioVariables, secrets: Record<string, string>): Promise<SandboxOutcome> {
  const worker = { ...config.worker, concurrency: 1, sandboxProcesses: Math.min(config.worker.sandboxProcesses, 1) };
  // Warnings only (a sandbox process that died, threads in this process), on stderr: stdout is the answer.
  const logger = createLogger({ service: 'catalog', level: 'warn', destination: process.stderr });
  const sandbox = await startSandbox({ ...config, worker }, logger);
  try {
    return await sandbox.run({ scriptId: `local:${file}`, scriptVersion: '', source, variables: { ...variables, secrets }, deadline: Date.now() + config.limits.syncTimeoutMs });
  } finally {
    await sandbox.close();
  }
}

/** The answer as the worker shapes it for the caller, or the error the process fails with. */
function conclude(outcome: SandboxOutcome): { response: ResponseSpec } | { error: ProcessError } {
  if (outcome.kind === 'error') return { error: outcome.error };
  try {
    return { response: toResponseSpec(outcome.output) };
  } catch (thrown) {
    if (thrown instanceof ScenarioFailedError) return { error: { code: thrown.code, message: thrown.message } };
    throw thrown;
  }
}

/**
 * `catalog run <scenario.js> [--request request.json] [--secret NAME=VALUE …]`: checks the source's
 * syntax, runs it once in the real sandbox on the described request, with no Redis and no store, and
 * prints what its caller would get and its logs, with the secret values masked as the worker masks them.
 * Answers 0 when the process completes, 1 when it fails (the error on stderr). Throws a
 * {@link CommandError} for an unreadable file, a syntax error or a bad request file.
 */
export async function runScenarioCommand(run: ScenarioRun, config: Config): Promise<number> {
  const source = readText(run.file);
  const problem = checkSyntax(source);
  if (problem) throw new CommandError(syntaxProblem(run.file, problem));
  const request: DescribedRequest = run.requestFile ? requestOf(run.requestFile) : { method: 'GET' };
  const variables = await variablesOf(run, request, config);
  const outcome = await runOnce(config, source, run.file, variables, run.secrets);
  const mask = secretMasker(run.secrets);
  const concluded = conclude(outcome);
  if ('response' in concluded) {
    for (const line of answerLines(concluded.response)) console.log(line);
    console.log('');
  } else {
    for (const line of errorLines(maskedError(concluded.error, mask))) console.error(line);
  }
  for (const line of logLines(maskedLogs(outcome.logs, mask))) console.log(line);
  return 'response' in concluded ? 0 : 1;
}
