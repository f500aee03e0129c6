/**
 * Entry of a sandbox process: the worker forks it with an empty environment, under Node's permission
 * model (see sandbox-permissions.ts), and talks to it over IPC only (see process-protocol.ts). It holds
 * a pool of sandbox threads and no credential; its fetches are relayed to the worker, which holds the
 * allow-list and the network. Its main thread runs no scenario code, so it can always watch: it fails a
 * run whose ArrayBuffer memory passes the cap, which the threads' heap limits do not cover.
 */
import type { SandboxOutcome } from '@webrequests/contracts';
import { errorOutcome } from './error-outcome';
import { FetchRelay } from './fetch-relay';
import type { ProcessRunRequest, SandboxProcessSettings, SandboxToWorker, WorkerToSandbox } from './process-protocol';
import { permissionInForce } from './sandbox-permissions';
import { ThreadSandbox } from './thread-sandbox';

const send = (message: SandboxToWorker): void => {
  process.send?.(message);
};

interface ActiveRun {
  controller: AbortController;
  /** Set when the process's memory watch stopped the run. */
  overMemory: boolean;
  /**
   * What the process held when the run started, or its idle size if more: the run is charged only
   * for what it adds (memory an earlier run left, not yet given back, is not its own).
   */
  referenceBytes: number;
}

let sandbox: ThreadSandbox | null = null;
let fetches: FetchRelay | null = null;
const active = new Map<number, ActiveRun>();

function start(settings: SandboxProcessSettings): void {
  // Each fetch carries the worker's id of its run: the run's `tag`, which the thread sandbox passes on.
  fetches = settings.fetchOn ? new FetchRelay(send) : null;
  sandbox = new ThreadSandbox({
    threads: settings.threads,
    memoryMb: settings.memoryMb,
    ...(settings.maxLogEntries !== undefined ? { maxLogEntries: settings.maxLogEntries } : {}),
    ...(settings.maxLogBytes !== undefined ? { maxLogBytes: settings.maxLogBytes } : {}),
    ...(settings.runsPerVm !== undefined ? { runsPerVm: settings.runsPerVm } : {}),
    ...(settings.maxAnswerBytes !== undefined ? { maxAnswerBytes: settings.maxAnswerBytes } : {}),
    // The worker limits each run's concurrent fetches; here every fetch goes straight through to it.
    fetchConcurrency: 1_000_000,
    fetch: fetches,
    // The worker logs what its sandbox processes write on stderr.
    onError: (error) => process.stderr.write(`sandbox thread failed: ${error.message}\n`),
  });
  watchMemory(settings);
  send({ kind: 'ready', permission: permissionInForce() });
}


/**
 * ArrayBuffer memory (typed arrays, Buffers) lives outside the threads' heap limits, and another
 * thread's is not visible from here: what is, is the memory the process really holds (its resident
 * set). The main thread checks it every `memoryCheckMs` and stops the runs when it grows past its
 * idle size by more than twice the threads' heap caps (heap and ArrayBuffers together); with one
 * thread per process (the default) that is the run's own. Typed arrays that were made but never
 * written cost no memory, and are not counted.
 */
function watchMemory(settings: SandboxProcessSettings): void {
  budgetBytes = 2 * settings.threads * settings.memoryMb * 1024 * 1024;
  baselineBytes = sampledBytes = process.memoryUsage.rss();
  setInterval(() => {
    sampledBytes = process.memoryUsage.rss();
    if (active.size === 0) {
      // Idle: what the process holds now is its baseline (threads up, VMs built, caches warm).
      baselineBytes = sampledBytes;
      return;
    }
    for (const run of active.values()) {
      if (sampledBytes - run.referenceBytes <= budgetBytes) continue;
      run.overMemory = true;
      run.controller.abort();
    }
  }, settings.memoryCheckMs).unref();
}

let budgetBytes = Infinity;
let baselineBytes = Infinity;
/** The resident set at the last check. */
let sampledBytes = 0;
const overBudget = (run: ActiveRun): boolean => process.memoryUsage.rss() - run.referenceBytes > budgetBytes;

async function run(runId: number, request: ProcessRunRequest): Promise<void> {
  const controller = new AbortController();
  // The last sample stands for the size at the start: a run is not charged for less than 20 ms of its own growth.
  const entry: ActiveRun = { controller, overMemory: false, referenceBytes: Math.max(baselineBytes, sampledBytes) };
  active.set(runId, entry);
  let outcome: SandboxOutcome;
  try {
    const { variables, ...rest } = request;
    outcome = await sandbox!.runPacked({ ...rest, tag: runId, signal: controller.signal, onLog: (log) => send({ kind: 'log', runId, entry: log }) }, variables);
  } finally {
    active.delete(runId);
  }
  // Checked once more at the end, for a run quicker than one check interval.
  if (!entry.overMemory && outcome.kind === 'output' && overBudget(entry)) entry.overMemory = true;
  if (entry.overMemory) {
    const usedMb = Math.round((process.memoryUsage.rss() - entry.referenceBytes) / 1024 / 1024);
    outcome = errorOutcome('scenario_failed', `the scenario exceeded the memory limit (heap and ArrayBuffers together took ${usedMb} MB, over ${budgetBytes / 1024 / 1024} MB) and was stopped`, outcome.logs, outcome.durationMs);
  }
  send({ kind: 'outcome', runId, outcome });
}

process.on('message', (message: WorkerToSandbox) => {
  switch (message.kind) {
    case 'init':
      return start(message.settings);
    case 'run':
      return void run(message.runId, message.request);
    case 'stop':
      return active.get(message.runId)?.controller.abort();
    case 'fetch-answer':
      return fetches?.answered(message.fetchId, message.answer);
    case 'fetch-failed':
      return fetches?.failed(message.fetchId, message.message);
  }
});
// The worker going away (its IPC channel closing) ends the process: nothing here outlives it.
process.on('disconnect', () => process.exit(0));
