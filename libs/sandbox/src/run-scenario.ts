import type { ProcessError, SandboxOutcome, ScenarioVariables } from '@webrequests/contracts';
import type { VMScript } from 'vm2';
import { compileScenario } from './compile-scenario';
import { describeFailure, describeThrown } from './describe-thrown';
import type { LogCollector } from './log-collector';
import { FETCH_OFF } from './outbound-fetch';
import { RunFetches } from './run-fetches';
import { RunTimers } from './run-timers';
import { SandboxSetupError } from './sandbox-setup-error';
import { ScenarioOutputError } from './scenario-output-error';
import { ScenarioSyntaxError } from './scenario-syntax-error';
import type { ScriptCache } from './script-cache';
import type { ThreadTask } from './thread-protocol';
import type { WarmVm } from './warm-vm';

/** A run as the thread runs it: its variables unpacked. */
export type ScenarioTask = Omit<ThreadTask, 'variables'> & { variables: ScenarioVariables };

/** What one run needs from the thread it runs on. */
export interface RunContext {
  scripts: ScriptCache<VMScript>;
  vms: WarmVm;
  logs: LogCollector;
  /** Whether scenarios have a `fetch` (SCENARIO_FETCH_ALLOW is not empty). */
  fetchOn: boolean;
}

/** When fetch is off the scenario's `fetch` is undefined (as `typeof fetch` shows): calling it fails like this. */
const FETCH_UNDEFINED = /\bfetch is not a function\b/;

/** The error of a run that threw: its message, and for a thrown error its place in the scenario. */
function failureOf(error: unknown, fetchOn: boolean): ProcessError {
  if (error instanceof SandboxSetupError) return { code: 'internal_error', message: `the sandbox failed: ${error.message}` };
  if (error instanceof ScenarioOutputError) return { code: 'scenario_failed', message: error.message };
  if (error instanceof ScenarioSyntaxError) {
    const line = SYNTAX_LINE.exec(error.message)?.[1];
    return { code: 'scenario_failed', message: error.message, ...(line ? { line: Number(line) } : {}) };
  }
  const { line, column, stack } = describeFailure(error);
  const text = describeThrown(error);
  const hinted = !fetchOn && FETCH_UNDEFINED.test(text) ? `${text} (${FETCH_OFF})` : text;
  if (line === undefined) return { code: 'scenario_failed', message: hinted };
  return { code: 'scenario_failed', message: `${hinted} (line ${line}, column ${column})`, line, column, ...(stack ? { stack } : {}) };
}

/** The line a syntax error names (see checkSyntax). */
const SYNTAX_LINE = /\(line (\d+)\)$/;

interface RunScope {
  timers: RunTimers;
  fetches: RunFetches;
}

async function execute(task: ScenarioTask, context: RunContext, scope: RunScope): Promise<Record<string, unknown>> {
  const key = `${task.scriptId}:${task.scriptVersion}`;
  // A syntax error is thrown here, before any VM is involved.
  const script = context.scripts.get(key, () => compileScenario(task.source));
  const vm = context.vms.take();
  let succeeded = false;
  try {
    const output = await vm.run(key, script, task.variables, context.logs, scope.timers, scope.fetches);
    succeeded = true;
    return output;
  } finally {
    context.vms.release(vm, succeeded);
  }
}

/**
 * Runs one scenario on this thread, in the VM the thread's runs share (see ScenarioVm), and copies its
 * output out of the sandbox. The deadline is not enforced here: the host kills the thread for that,
 * since `while (true) {}` never yields.
 */
export async function runScenario(task: ScenarioTask, context: RunContext): Promise<SandboxOutcome> {
  const started = Date.now();
  const { logs } = context;
  if (started >= task.deadline) {
    return { kind: 'error', error: { code: 'timeout', message: 'the deadline passed before the scenario started' }, logs: [], durationMs: 0 };
  }
  const timers = new RunTimers();
  const fetches = new RunFetches();
  try {
    const output = await execute(task, context, { timers, fetches });
    return { kind: 'output', output, logs: logs.entries, durationMs: Date.now() - started };
  } catch (error) {
    return { kind: 'error', error: failureOf(error, context.fetchOn), logs: logs.entries, durationMs: Date.now() - started };
  } finally {
    logs.close();
    timers.clear();
    fetches.clear();
  }
}
