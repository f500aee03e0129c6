/**
 * Entry of a sandbox worker thread. Runs one scenario at a time, in a VM the thread's runs share (see
 * WarmVm), on the host's orders (see thread-protocol.ts); the host kills the whole thread when a run
 * passes its deadline, is stopped, or the thread is late to say it started or went idle.
 */
import { deserialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { VMScript } from 'vm2';
import type { SandboxOutcome } from '@webrequests/contracts';
import { describeRejection } from './describe-thrown';
import { FetchRelay } from './fetch-relay';
import { LogCollector } from './log-collector';
import { runScenario } from './run-scenario';
import { ScriptCache } from './script-cache';
import type { ScenarioVariables } from '@webrequests/contracts';
import type { HostToThread, PackedVariables, ThreadSettings, ThreadTask, ThreadToHost } from './thread-protocol';
import { WarmVm } from './warm-vm';

const COMPILED_SCRIPTS_KEPT = 500;

const settings = workerData as ThreadSettings;
const port = parentPort!;
const post = (message: ThreadToHost): void => port.postMessage(message);
const scripts = new ScriptCache<VMScript>(COMPILED_SCRIPTS_KEPT);
const relay = settings.fetchOn ? new FetchRelay(post) : null;
const vms = new WarmVm(settings.memoryMb, settings.runsPerVm, relay);
// The first VM is built while the thread waits for its first task.
vms.prepareSoon();
let currentLogs: LogCollector | null = null;

// A promise a scenario rejects and never awaits would otherwise crash the thread (Node's default) and
// fail whatever runs on it. The reason is a raw sandbox value: describeRejection reads its data
// properties only (no getter, no proxy trap runs).
process.on('unhandledRejection', (reason: unknown) => {
  currentLogs?.add('error', [`unhandled promise rejection: ${describeRejection(reason)} (a promise rejected and nothing caught it)`]);
});

/** Posts the outcome; one that cannot be posted (too deep to clone) becomes an error outcome. */
function postOutcome(runId: number, outcome: SandboxOutcome): void {
  try {
    post({ kind: 'outcome', runId, outcome });
  } catch (error) {
    const message = `the answer could not be sent from the sandbox: ${error instanceof Error ? error.message : String(error)}`;
    post({ kind: 'outcome', runId, outcome: { kind: 'error', error: { code: 'scenario_failed', message }, logs: outcome.logs, durationMs: outcome.durationMs } });
  }
}

const isPacked = (variables: ThreadTask['variables']): variables is PackedVariables => (variables as PackedVariables).packed instanceof Uint8Array;

async function run(task: ThreadTask): Promise<void> {
  post({ kind: 'started', runId: task.runId });
  const logs = new LogCollector(settings.maxLogEntries, settings.maxLogBytes, (entry) => post({ kind: 'log', runId: task.runId, entry }));
  currentLogs = logs;
  if (relay) relay.runId = task.runId;
  let outcome: SandboxOutcome;
  try {
    const variables = isPacked(task.variables) ? (deserialize(task.variables.packed) as ScenarioVariables) : task.variables;
    outcome = await runScenario({ ...task, variables }, { scripts, vms, logs, fetchOn: relay !== null });
  } finally {
    currentLogs = null;
  }
  postOutcome(task.runId, outcome);
  // A macrotask runs only once every promise job is done: the jobs the run left behind included. An
  // endless chain of them never lets this run, and the host kills the thread for being late.
  setImmediate(() => post({ kind: 'idle', runId: task.runId }));
}

port.on('message', (message: HostToThread) => {
  switch (message.kind) {
    case 'run':
      void run(message.task);
      return;
    case 'fetch-answer':
      relay?.answered(message.fetchId, message.answer);
      return;
    case 'fetch-failed':
      relay?.failed(message.fetchId, message.message);
      return;
  }
});
post({ kind: 'ready' });
