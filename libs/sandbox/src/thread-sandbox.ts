import type { LogEntry, SandboxOutcome } from '@webrequests/contracts';
import { ConcurrencyLimit } from './concurrency-limit';
import { errorOutcome } from './error-outcome';
import { FetchAllowList } from './fetch-allow-list';
import { FETCH_OFF, type OutboundFetch, type OutboundRequest } from './outbound-fetch';
import { RunStopper } from './run-stopper';
import type { Sandbox, SandboxRequest } from './sandbox';
import { SandboxThreadHandle, type ThreadEnd } from './sandbox-thread-handle';
import type { PackedVariables, ThreadSettings, ThreadTask, ThreadToHost } from './thread-protocol';

/** How a {@link ThreadSandbox} is built. */
export interface ThreadSandboxOptions {
  /** Threads in the pool, each running one scenario at a time. */
  threads: number;
  /** Heap cap of each thread, in megabytes; a scenario over it is killed. */
  memoryMb: number;
  /** Log entries kept per run (default 200), then one marker entry. */
  maxLogEntries?: number;
  /** Bytes of log messages kept per run (default 64 KiB), then one marker entry. */
  maxLogBytes?: number;
  /**
   * Runs a thread's VM serves before the thread replaces it with a fresh one (default 1000): defence
   * in depth, since runs cannot see each other's state anyway. A run that fails always ends its VM.
   */
  runsPerVm?: number;
  /**
   * Hosts a scenario's `fetch` may reach (SCENARIO_FETCH_ALLOW): `host`, `host:port`, `*.domain` or `*`.
   * Empty or absent: scenarios have no `fetch`. Private and loopback addresses are refused unless the
   * host is listed literally (not through a wildcard). An invalid pattern throws a RangeError here.
   * Ignored when `fetch` is given.
   */
  fetchAllow?: readonly string[];
  /** What carries out the scenarios' fetches instead of a HostFetch over `fetchAllow` (a relay to another process). */
  fetch?: OutboundFetch | null;
  /** Fetches one run may have in flight (SCENARIO_FETCH_CONCURRENCY, default 8); more wait their turn. */
  fetchConcurrency?: number;
  /** Largest answer a run may give, in bytes (MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
  /** How long a thread may take to say it started a run it was given (ms, default 2000); then it is replaced and the run goes to another. */
  startTimeoutMs?: number;
  /** How long a thread may take to go idle after its run answered (ms, default 1000): leftover promise jobs past it get the thread killed. */
  idleTimeoutMs?: number;
  /** Told about failures that belong to no run (a thread failing while idle). Default: ignored. */
  onError?: (error: Error) => void;
}

const DEFAULT_RUNS_PER_VM = 1000;

/** A run from the moment it is asked for until its outcome. */
interface PendingRun {
  runId: number;
  req: Omit<SandboxRequest, 'variables'>;
  task: ThreadTask;
  logs: LogEntry[];
  arrived: number;
  stopper: RunStopper;
  resolve: (outcome: SandboxOutcome) => void;
  slot: Slot | null;
  fetches: Map<number, AbortController>;
  fetchLimit: ConcurrencyLimit;
  settled: boolean;
}

type SlotState = 'starting' | 'idle' | 'busy' | 'draining';

interface Slot {
  thread: SandboxThreadHandle;
  state: SlotState;
  run: PendingRun | null;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A {@link Sandbox} over a pool of worker threads, each with a heap cap, running one scenario at a
 * time. The host keeps every thread on a short leash: a thread must say at once that it started the
 * run it was given, and go idle promptly after the run answered; one that is late (an endless chain
 * of promise jobs left behind by the previous run starves it) is killed and replaced, and a run it
 * never started goes to another thread. The deadline and an operator stop terminate the thread
 * wherever the scenario is (an endless loop, a pending promise, a sleep). A thread's fetches are
 * carried out here, at most `fetchConcurrency` at a time per run.
 */
export class ThreadSandbox implements Sandbox {
  private readonly settings: ThreadSettings;
  private readonly slots = new Set<Slot>();
  private readonly queue: PendingRun[] = [];
  private readonly runs = new Map<number, PendingRun>();
  private readonly fetcher: OutboundFetch | null;
  private readonly fetchConcurrency: number;
  private readonly startTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private nextRunId = 0;
  private killed = 0;
  private failedStarts = 0;
  private closed = false;

  constructor(private readonly options: ThreadSandboxOptions) {
    const runsPerVm = options.runsPerVm ?? DEFAULT_RUNS_PER_VM;
    if (!Number.isInteger(runsPerVm) || runsPerVm < 1) throw new RangeError(`runsPerVm must be a positive integer, got ${runsPerVm}`);
    if (options.fetch !== undefined) {
      this.fetcher = options.fetch;
    } else {
      // Parsed here, so that a bad pattern fails the boot rather than every run.
      const allowList = FetchAllowList.parse([...(options.fetchAllow ?? [])]);
      // Loaded only here: a sandbox process, whose fetches go to the worker, never loads undici.
      this.fetcher = allowList.enabled ? new (require('./host-fetch') as typeof import('./host-fetch')).HostFetch(allowList) : null;
    }
    this.fetchConcurrency = options.fetchConcurrency ?? 8;
    this.startTimeoutMs = options.startTimeoutMs ?? 2000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 1000;
    this.settings = {
      maxLogEntries: options.maxLogEntries ?? 200,
      maxLogBytes: options.maxLogBytes ?? 64 * 1024,
      memoryMb: options.memoryMb,
      runsPerVm,
      fetchOn: this.fetcher?.enabled ?? false,
      ...(options.maxAnswerBytes !== undefined ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
    };
    for (let i = 0; i < options.threads; i++) this.startThread();
  }

  /** Threads terminated so far because a run passed its deadline, was stopped, ran out of memory, or left its thread busy. */
  get threadsKilled(): number {
    return this.killed;
  }

  /** Runs one scenario on a free thread (queued until one is, the wait counting against the deadline). */
  run(req: SandboxRequest): Promise<SandboxOutcome> {
    return this.start(req, req.variables);
  }

  /**
   * {@link run} with the variables as `v8.serialize` bytes, deserialized only in the thread: a
   * sandbox process hands on the worker's bytes without reading them.
   */
  runPacked(req: Omit<SandboxRequest, 'variables'>, variables: PackedVariables): Promise<SandboxOutcome> {
    return this.start(req, variables);
  }

  private start(req: Omit<SandboxRequest, 'variables'>, variables: ThreadTask['variables']): Promise<SandboxOutcome> {
    if (this.closed) return Promise.resolve(errorOutcome('aborted', 'the sandbox is closed', [], 0));
    if (req.signal?.aborted) return Promise.resolve(errorOutcome('aborted', 'the process was stopped by an operator', [], 0));
    if (req.deadline <= Date.now()) return Promise.resolve(errorOutcome('timeout', 'the deadline passed before the scenario started', [], 0));
    return new Promise((resolve) => {
      const runId = ++this.nextRunId;
      const run: PendingRun = {
        runId,
        req,
        task: { runId, scriptId: req.scriptId, scriptVersion: req.scriptVersion, source: req.source, variables, deadline: req.deadline },
        logs: [],
        arrived: Date.now(),
        stopper: new RunStopper(req.deadline, req.signal),
        resolve,
        slot: null,
        fetches: new Map(),
        fetchLimit: new ConcurrencyLimit(this.fetchConcurrency),
        settled: false,
      };
      this.runs.set(runId, run);
      run.stopper.signal.addEventListener('abort', () => this.stopped(run), { once: true });
      this.queue.push(run);
      this.pump();
    });
  }

  /** Kills every thread at once; runs in flight or queued end `aborted`. Calling it twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of [...this.runs.values()]) this.settle(run, errorOutcome('aborted', 'the sandbox was closed while the scenario ran', run.logs, this.elapsed(run)));
    for (const slot of this.slots) {
      clearTimeout(slot.timer);
      slot.thread.kill('closed');
    }
    this.slots.clear();
  }

  private startThread(): void {
    const slot: Slot = { thread: undefined as unknown as SandboxThreadHandle, state: 'starting', run: null, timer: undefined };
    slot.thread = new SandboxThreadHandle(
      this.settings,
      (message) => this.onThreadMessage(slot, message),
      (end) => this.onThreadEnd(slot, end),
    );
    this.slots.add(slot);
  }

  /** Hands queued runs to idle threads. */
  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.state !== 'idle') continue;
      const run = this.queue.shift()!;
      run.slot = slot;
      slot.run = run;
      slot.state = 'busy';
      slot.timer = setTimeout(() => this.lateStart(slot, run), this.startTimeoutMs);
      slot.thread.send({ kind: 'run', task: run.task });
    }
  }

  private onThreadMessage(slot: Slot, message: ThreadToHost): void {
    switch (message.kind) {
      case 'ready':
        if (slot.state !== 'starting') return;
        slot.state = 'idle';
        this.failedStarts = 0;
        return this.pump();
      case 'started':
        if (slot.run?.runId === message.runId) clearTimeout(slot.timer);
        return;
      case 'log': {
        const run = slot.run?.runId === message.runId ? slot.run : undefined;
        if (!run || run.settled) return;
        run.logs.push(message.entry);
        run.req.onLog?.(message.entry);
        return;
      }
      case 'fetch':
        return this.fetchFor(slot, message.runId, message.fetchId, message.request);
      case 'fetch-abort':
        slot.run?.fetches.get(message.fetchId)?.abort();
        return;
      case 'outcome': {
        const run = slot.run;
        if (!run || run.runId !== message.runId) return;
        clearTimeout(slot.timer);
        this.settle(run, message.outcome);
        slot.state = 'draining';
        slot.timer = setTimeout(() => this.lateIdle(slot), this.idleTimeoutMs);
        return;
      }
      case 'idle':
        if (slot.state !== 'draining') return;
        clearTimeout(slot.timer);
        slot.run = null;
        slot.state = 'idle';
        return this.pump();
    }
  }

  private onThreadEnd(slot: Slot, end: ThreadEnd): void {
    clearTimeout(slot.timer);
    this.slots.delete(slot);
    const run = slot.run;
    if (end.kind === 'killed') {
      if (end.reason !== 'closed') this.killed++;
    } else if (run && !run.settled) {
      this.killed++;
      this.settle(run, this.threadFailure(run, end));
    } else if (!this.closed) {
      this.options.onError?.(end.kind === 'failed' ? end.error : new Error(`a sandbox thread exited with code ${end.code}`));
    }
    if (this.closed) return;
    // A thread that cannot even start (a broken install) must not be restarted in a tight loop.
    if (slot.state === 'starting') this.failedStarts++;
    const delay = this.failedStarts > 3 ? 1000 : 0;
    setTimeout(() => {
      if (!this.closed) this.startThread();
    }, delay).unref();
  }

  private threadFailure(run: PendingRun, end: Exclude<ThreadEnd, { kind: 'killed' }>): SandboxOutcome {
    const durationMs = this.elapsed(run);
    if (end.kind === 'failed' && (end.error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return errorOutcome('scenario_failed', `the scenario exceeded the memory limit (${this.options.memoryMb} MB) and was stopped`, run.logs, durationMs);
    }
    if (end.kind === 'failed' && end.error.name === 'Error' && /deserial|clone/i.test(end.error.message)) {
      return errorOutcome('scenario_failed', 'the answer could not be read from the sandbox (nested too deep?)', run.logs, durationMs);
    }
    const detail = end.kind === 'failed' ? end.error.message : `exit code ${end.code}`;
    return errorOutcome('internal_error', `the sandbox thread failed: ${detail}`, run.logs, durationMs);
  }

  /** The deadline or an operator stop: kill the thread running `run`, or take it off the queue. */
  private stopped(run: PendingRun): void {
    if (run.settled) return;
    const durationMs = this.elapsed(run);
    const outcome =
      run.stopper.reason === 'timeout'
        ? errorOutcome('timeout', `the scenario was stopped at its deadline after ${durationMs} ms`, run.logs, durationMs)
        : errorOutcome('aborted', 'the process was stopped by an operator', run.logs, durationMs);
    const slot = run.slot;
    this.settle(run, outcome);
    if (slot?.run === run) slot.thread.kill(run.stopper.reason ?? 'stopped');
  }

  /** The thread did not say it started: it is stuck (a previous run's leftovers); the run goes to another. */
  private lateStart(slot: Slot, run: PendingRun): void {
    if (slot.run !== run || run.settled) return;
    slot.run = null;
    run.slot = null;
    slot.thread.kill('late to start a run');
    this.queue.unshift(run);
    this.pump();
  }

  /** The run answered but its thread is still busy (promise jobs it left behind): no other run may wait on it. */
  private lateIdle(slot: Slot): void {
    slot.thread.kill('still busy after its run answered');
  }

  /** Carries out a thread's fetch for its current run, within the run's concurrency limit. */
  private fetchFor(slot: Slot, runId: number, fetchId: number, request: OutboundRequest): void {
    const run = slot.run;
    if (!run || run.runId !== runId || run.settled) return;
    if (!this.fetcher?.enabled) return slot.thread.send({ kind: 'fetch-failed', runId, fetchId, message: FETCH_OFF });
    const controller = new AbortController();
    run.fetches.set(fetchId, controller);
    run.fetchLimit
      .run(() => (controller.signal.aborted ? Promise.reject(new Error('fetch aborted: the run ended')) : this.fetcher!.fetch(request, controller.signal, run.req.tag)))
      .then(
        (answer) => {
          if (slot.run === run && !run.settled) slot.thread.send({ kind: 'fetch-answer', runId, fetchId, answer });
        },
        (error: unknown) => {
          if (slot.run === run && !run.settled) slot.thread.send({ kind: 'fetch-failed', runId, fetchId, message: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => run.fetches.delete(fetchId));
  }

  private settle(run: PendingRun, outcome: SandboxOutcome): void {
    if (run.settled) return;
    run.settled = true;
    run.stopper.dispose();
    this.runs.delete(run.runId);
    const queued = this.queue.indexOf(run);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const controller of run.fetches.values()) controller.abort();
    run.resolve(outcome);
  }

  private elapsed(run: PendingRun): number {
    return Date.now() - run.arrived;
  }
}

/** Starts a {@link ThreadSandbox}: `options.threads` threads, started now, each capped at `options.memoryMb`. */
export function createThreadSandbox(options: ThreadSandboxOptions): ThreadSandbox {
  return new ThreadSandbox(options);
}
