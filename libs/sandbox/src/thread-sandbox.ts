import path from 'node:path';
import { Piscina } from 'piscina';
import type { LogEntry, SandboxOutcome } from '@webrequests/contracts';
import { errorOutcome } from './error-outcome';
import { FetchAllowList } from './fetch-allow-list';
import { RunStopper } from './run-stopper';
import type { Sandbox, SandboxRequest } from './sandbox';
import { isThreadLogMessage, type ThreadSettings, type ThreadTask } from './thread-protocol';

/** How a {@link ThreadSandbox} is built. */
export interface ThreadSandboxOptions {
  /** Threads in the pool, each running one scenario at a time: the worker's concurrency. */
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
   */
  fetchAllow?: readonly string[];
  /** Told about pool errors that belong to no run (a thread failing while idle). Default: ignored. */
  onError?: (error: Error) => void;
}

const THREAD_FILE = path.join(__dirname, 'sandbox-thread.js');
const DEFAULT_RUNS_PER_VM = 1000;

function youngGenerationMb(memoryMb: number): number {
  // Small: a big young generation lets garbage pile up far past the old-generation cap before it counts.
  return Math.max(1, Math.min(16, Math.floor(memoryMb / 8)));
}

/**
 * A {@link Sandbox} over a pool of worker threads (Piscina), each with a heap cap. The deadline and an
 * operator stop abort the pool task, which terminates the thread wherever the scenario is (an endless
 * loop, a pending promise, a sleep); the pool starts a fresh thread in its place.
 */
export class ThreadSandbox implements Sandbox {
  private readonly pool: Piscina<ThreadTask, SandboxOutcome>;
  private readonly memoryMb: number;
  /** Log entries streamed by the runs in flight: all a killed run leaves behind. */
  private readonly streamed = new Map<number, LogEntry[]>();
  private nextRunId = 0;
  private killed = 0;
  private closed = false;

  constructor(options: ThreadSandboxOptions) {
    const runsPerVm = options.runsPerVm ?? DEFAULT_RUNS_PER_VM;
    if (!Number.isInteger(runsPerVm) || runsPerVm < 1) throw new RangeError(`runsPerVm must be a positive integer, got ${runsPerVm}`);
    this.memoryMb = options.memoryMb;
    const fetchAllow = [...(options.fetchAllow ?? [])];
    // Parsed here too so that a bad pattern fails the boot, not every thread.
    FetchAllowList.parse(fetchAllow);
    const settings: ThreadSettings = {
      maxLogEntries: options.maxLogEntries ?? 200,
      maxLogBytes: options.maxLogBytes ?? 64 * 1024,
      memoryMb: options.memoryMb,
      runsPerVm,
      fetchAllow,
    };
    this.pool = new Piscina<ThreadTask, SandboxOutcome>({
      filename: THREAD_FILE,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Infinity,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb, maxYoungGenerationSizeMb: youngGenerationMb(options.memoryMb) },
      workerData: settings,
      // Nothing in a thread needs the environment; an escaped scenario would find no secrets in it.
      env: {},
      recordTiming: false,
      // Without Atomics.wait an idle thread keeps its event loop turning, so it can put its VM back in
      // order, or build a fresh one, between tasks (see WarmVm). It also makes each task start in a
      // turn of its own, after the promise jobs the previous run left behind: the VM the runs share is
      // put back in order at that point, and not before those jobs are done.
      atomics: 'disabled',
    });
    this.pool.on('message', (message: unknown) => this.collectLog(message));
    this.pool.on('workerDestroy', () => {
      // Threads that close() destroys were not killed by a run.
      if (!this.closed) this.killed++;
    });
    this.pool.on('error', (error: Error) => options.onError?.(error));
  }

  /** Threads terminated so far because a run passed its deadline, was stopped or ran out of memory. */
  get threadsKilled(): number {
    return this.killed;
  }

  /** Runs one scenario on a free thread (queued until one is, the wait counting against the deadline). */
  async run(req: SandboxRequest): Promise<SandboxOutcome> {
    const started = Date.now();
    if (this.closed) return errorOutcome('aborted', 'the sandbox is closed', [], 0);
    if (req.signal?.aborted) return errorOutcome('aborted', 'the process was stopped by an operator', [], 0);
    if (req.deadline <= started) return errorOutcome('timeout', 'the deadline passed before the scenario started', [], 0);
    const runId = ++this.nextRunId;
    const logs: LogEntry[] = [];
    this.streamed.set(runId, logs);
    const stopper = new RunStopper(req.deadline, req.signal);
    try {
      const task: ThreadTask = { runId, scriptId: req.scriptId, scriptVersion: req.scriptVersion, source: req.source, variables: req.variables, deadline: req.deadline };
      return await this.pool.run(task, { signal: stopper.signal });
    } catch (error) {
      return this.failure(error, stopper, logs, Date.now() - started);
    } finally {
      stopper.dispose();
      this.streamed.delete(runId);
    }
  }

  /** Kills every thread at once; runs in flight end `aborted`. Calling it twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.destroy();
  }

  private failure(error: unknown, stopper: RunStopper, logs: LogEntry[], durationMs: number): SandboxOutcome {
    if (stopper.reason === 'timeout') return errorOutcome('timeout', `the scenario was stopped at its deadline after ${durationMs} ms`, logs, durationMs);
    if (stopper.reason === 'aborted') return errorOutcome('aborted', 'the process was stopped by an operator', logs, durationMs);
    if (this.closed) return errorOutcome('aborted', 'the sandbox was closed while the scenario ran', logs, durationMs);
    if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return errorOutcome('scenario_failed', `the scenario exceeded the memory limit (${this.memoryMb} MB) and was stopped`, logs, durationMs);
    }
    return errorOutcome('internal_error', `the sandbox failed: ${error instanceof Error ? error.message : String(error)}`, logs, durationMs);
  }

  private collectLog(message: unknown): void {
    if (isThreadLogMessage(message)) this.streamed.get(message.runId)?.push(message.entry);
  }
}

/** Starts a {@link ThreadSandbox}: `options.threads` threads, started now, each capped at `options.memoryMb`. */
export function createThreadSandbox(options: ThreadSandboxOptions): ThreadSandbox {
  return new ThreadSandbox(options);
}
