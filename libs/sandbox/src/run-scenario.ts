import type { SandboxOutcome } from '@webrequests/contracts';
import { compileScenario } from './compile-scenario';
import { describeThrown } from './describe-thrown';
import { exportOutput } from './export-output';
import type { LogCollector } from './log-collector';
import { RunTimers } from './run-timers';
import { ScenarioOutputError } from './scenario-output-error';
import { ScenarioSyntaxError } from './scenario-syntax-error';
import type { ScriptCache } from './script-cache';
import type { ThreadTask } from './thread-protocol';
import type { WarmVm } from './warm-vm';

/** What one run needs from the thread it runs on. */
export interface RunContext {
  scripts: ScriptCache;
  vms: WarmVm;
  logs: LogCollector;
}

function failureMessage(error: unknown): string {
  if (error instanceof ScenarioSyntaxError || error instanceof ScenarioOutputError) return error.message;
  return describeThrown(error);
}

async function execute(task: ThreadTask, context: RunContext, timers: RunTimers): Promise<Record<string, unknown>> {
  const script = context.scripts.get(`${task.scriptId}:${task.scriptVersion}`, () => compileScenario(task.source));
  const { vm, prelude, console } = context.vms.take();
  console.logs = context.logs;
  prelude.install(JSON.stringify(task.variables), timers.start);
  return exportOutput(await vm.run(script), prelude);
}

/**
 * Runs one scenario on this thread, in a VM of its own, and copies its output out of the sandbox. The
 * deadline is not enforced here: the host kills the thread for that, since `while (true) {}` never yields.
 */
export async function runScenario(task: ThreadTask, context: RunContext): Promise<SandboxOutcome> {
  const started = Date.now();
  const { logs } = context;
  if (started >= task.deadline) {
    return { kind: 'error', error: { code: 'timeout', message: 'the deadline passed before the scenario started' }, logs: [], durationMs: 0 };
  }
  const timers = new RunTimers();
  try {
    const output = await execute(task, context, timers);
    return { kind: 'output', output, logs: logs.entries, durationMs: Date.now() - started };
  } catch (error) {
    return { kind: 'error', error: { code: 'scenario_failed', message: failureMessage(error) }, logs: logs.entries, durationMs: Date.now() - started };
  } finally {
    logs.close();
    timers.clear();
  }
}
