/**
 * Entry of a sandbox worker thread (Piscina loads this file's default export). Runs one scenario at a
 * time, in a VM the thread's runs share (see WarmVm); the host kills the whole thread when a run passes
 * its deadline or is stopped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { VMScript } from 'vm2';
import type { SandboxOutcome } from '@webrequests/contracts';
import { FetchAllowList } from './fetch-allow-list';
import { LogCollector } from './log-collector';
import { OutboundFetch } from './outbound-fetch';
import { runScenario } from './run-scenario';
import { ScriptCache } from './script-cache';
import type { ThreadLogMessage, ThreadSettings, ThreadTask } from './thread-protocol';
import { WarmVm } from './warm-vm';

const COMPILED_SCRIPTS_KEPT = 500;

const settings = workerData as ThreadSettings;
const scripts = new ScriptCache<VMScript>(COMPILED_SCRIPTS_KEPT);
const allowList = FetchAllowList.parse(settings.fetchAllow);
const outbound = allowList.enabled ? new OutboundFetch(allowList) : null;
const vms = new WarmVm(settings.memoryMb, settings.runsPerVm, outbound);
// The first VM is built while the thread waits for its first task.
vms.prepareSoon();
let currentLogs: LogCollector | null = null;

// A promise a scenario rejects and never awaits would otherwise crash the thread (Node's default) and
// fail whatever runs on it. The reason is a raw sandbox value, unsafe to inspect from here: only a
// primitive is shown.
process.on('unhandledRejection', (reason: unknown) => {
  const detail = typeof reason === 'object' && reason !== null ? 'an object' : String(reason);
  currentLogs?.add('error', [`unhandled promise rejection (${detail}): a promise rejected and nothing caught it`]);
});

function streamTo(runId: number) {
  return (entry: ThreadLogMessage['entry']): void => {
    const message: ThreadLogMessage = { kind: 'sandbox-log', runId, entry };
    parentPort?.postMessage(message);
  };
}

/** Runs one task; never rejects (every failure is an outcome). */
export default async function runTask(task: ThreadTask): Promise<SandboxOutcome> {
  const logs = new LogCollector(settings.maxLogEntries, settings.maxLogBytes, streamTo(task.runId));
  currentLogs = logs;
  try {
    return await runScenario(task, { scripts, vms, logs, fetchOn: outbound !== null });
  } finally {
    currentLogs = null;
  }
}
