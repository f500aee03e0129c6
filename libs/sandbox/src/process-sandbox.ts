import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { serialize } from 'node:v8';
import type { LogEntry, SandboxOutcome } from '@webrequests/contracts';
import { ConcurrencyLimit } from './concurrency-limit';
import { errorOutcome } from './error-outcome';
import { FetchAllowList } from './fetch-allow-list';
import type { OutboundFetch, OutboundRequest } from './outbound-fetch';
import { FETCH_OFF } from './outbound-fetch';
import { parseSandboxMessage, type SandboxProcessSettings, type SandboxToWorker, type WorkerToSandbox } from './process-protocol';
import type { Sandbox, SandboxRequest } from './sandbox';
import { sandboxPermissions, sandboxReadPaths, type SandboxPermissions } from './sandbox-permissions';

const PROCESS_FILE = path.join(__dirname, 'sandbox-process.js');

/** How a {@link ProcessSandbox} is built. */
export interface ProcessSandboxOptions {
  /** Sandbox processes (SANDBOX_PROCESSES). */
  processes: number;
  /** Runs at once over all processes (WORKER_CONCURRENCY); each process gets its share of threads. */
  concurrency: number;
  /** Heap cap of each thread, and cap of each thread's share of ArrayBuffer memory (megabytes). */
  memoryMb: number;
  /** SCENARIO_FETCH_ALLOW's host patterns; empty: no `fetch`. Carried out here, never in the sandbox process. */
  fetchAllow?: readonly string[];
  /** Fetches one run may have in flight (SCENARIO_FETCH_CONCURRENCY, default 8). */
  fetchConcurrency?: number;
  /** Largest answer a run may give (MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
  maxLogEntries?: number;
  maxLogBytes?: number;
  runsPerVm?: number;
  /** When this process runs as root: the user (name or uid) the sandbox processes run as. */
  user?: string;
  /** Told of what belongs to no run: a process that died, lines it wrote on stderr, messages refused. */
  onEvent?: (message: string, meta?: Record<string, unknown>) => void;
  /** How long past a run's deadline a process may stay silent about it before it is killed (ms, default 3000). */
  graceMs?: number;
}

interface PendingRun {
  id: number;
  req: SandboxRequest;
  logs: LogEntry[];
  arrived: number;
  child: SandboxChild | null;
  resolve: (outcome: SandboxOutcome) => void;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
  fetches: Map<number, AbortController>;
  fetchLimit: ConcurrencyLimit;
  onAbort: () => void;
}

interface SandboxChild {
  process: ChildProcess;
  ready: boolean;
  runs: Set<PendingRun>;
  capacity: number;
  permission: string;
}

/** The uid and gid of `user` (a name from /etc/passwd, or a numeric uid). */
function userIds(user: string): { uid: number; gid: number } {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const entry = /^\d+$/.test(user) ? passwd.find((fields) => fields[2] === user) : passwd.find((fields) => fields[0] === user);
  if (!entry) {
    if (/^\d+$/.test(user)) return { uid: Number(user), gid: Number(user) };
    throw new Error(`SANDBOX_USER=${user} names no user of this system`);
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Whether the user `ids` may do `need` (4 read, 1 search/execute) on `path` by its mode bits. */
function permits(path: string, ids: { uid: number; gid: number }, need: number): boolean {
  const { mode, uid, gid } = statSync(path);
  const bits = uid === ids.uid ? (mode >> 6) & 7 : gid === ids.gid ? (mode >> 3) & 7 : mode & 7;
  return (bits & need) === need;
}

/** Why `ids` could not start a sandbox process (run Node, read the sandbox's code), or null if it can. */
function unreachableFor(ids: { uid: number; gid: number }, readPaths: string[]): string | null {
  for (const target of [process.execPath, ...readPaths]) {
    let dir = path.dirname(target);
    for (;;) {
      if (!permits(dir, ids, 1)) return `it cannot enter ${dir}`;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    if (target === process.execPath && !permits(target, ids, 5)) return `it cannot run ${target}`;
    if (target !== process.execPath && !permits(target, ids, 5)) return `it cannot read ${target}`;
  }
  return null;
}

/**
 * A {@link Sandbox} whose scenarios run in separate sandbox processes, each with a pool of sandbox
 * threads: started with an empty environment (no Redis, store or admin credential, nothing to
 * steal), under Node's permission model (reads of the sandbox's code only; no writes, child
 * processes, addons, and on Node 25+ no network), and as `user` when this process is root. Runs and
 * their outcomes cross over IPC as plain data, validated on arrival: a sandbox process is untrusted.
 * Their `fetch` calls are carried out here, through the allow-list. A process that dies fails only its
 * own runs (`sandbox_crashed`) and is replaced.
 */
export class ProcessSandbox implements Sandbox {
  readonly permissions: SandboxPermissions;
  private readonly children = new Set<SandboxChild>();
  private readonly queue: PendingRun[] = [];
  private readonly fetcher: OutboundFetch | null;
  private readonly settings: SandboxProcessSettings;
  private readonly ids: { uid: number; gid: number } | null;
  private readonly graceMs: number;
  private nextId = 0;
  private crashes = 0;
  private stops = 0;
  private closed = false;

  constructor(private readonly options: ProcessSandboxOptions) {
    const allowList = FetchAllowList.parse([...(options.fetchAllow ?? [])]);
    this.fetcher = allowList.enabled ? new (require('./host-fetch') as typeof import('./host-fetch')).HostFetch(allowList) : null;
    this.permissions = sandboxPermissions();
    this.graceMs = options.graceMs ?? 3000;
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    this.ids = options.user && asRoot ? userIds(options.user) : null;
    const unreachable = this.ids ? unreachableFor(this.ids, sandboxReadPaths()) : null;
    if (unreachable) throw new Error(`SANDBOX_USER=${options.user} cannot start a sandbox process: ${unreachable}; make Node and the app's folders readable by that user, or unset SANDBOX_USER`);
    if (options.user && !asRoot) options.onEvent?.('SANDBOX_USER is ignored: the worker is not root, so its sandbox processes run as its own user', { user: options.user });
    const processes = Math.max(1, Math.min(options.processes, options.concurrency));
    const threads = Math.ceil(options.concurrency / processes);
    this.settings = {
      threads,
      memoryMb: options.memoryMb,
      fetchOn: this.fetcher !== null,
      memoryCheckMs: 20,
      ...(options.maxLogEntries !== undefined ? { maxLogEntries: options.maxLogEntries } : {}),
      ...(options.maxLogBytes !== undefined ? { maxLogBytes: options.maxLogBytes } : {}),
      ...(options.runsPerVm !== undefined ? { runsPerVm: options.runsPerVm } : {}),
      ...(options.maxAnswerBytes !== undefined ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
    };
    for (let i = 0; i < processes; i++) this.spawn();
  }

  /** What the sandbox processes are allowed, for the worker's start-up log. */
  get description(): string {
    const user = this.ids ? `, as uid ${this.ids.uid}` : '';
    return `${this.children.size} sandbox processes of ${this.settings.threads} thread(s)${user}; ${this.permissions.description}`;
  }

  /** Runs stopped by force so far (deadline, operator, memory, a process that died): each cost a thread or a process. */
  get threadsKilled(): number {
    return this.stops;
  }

  /** Process ids of the sandbox processes running now (for tests and operators). */
  get pids(): number[] {
    return [...this.children].map((child) => child.process.pid!).filter(Boolean);
  }

  /** Resolves once every sandbox process has said it is ready. */
  async ready(): Promise<void> {
    while (!this.closed && [...this.children].some((child) => !child.ready)) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  run(req: SandboxRequest): Promise<SandboxOutcome> {
    if (this.closed) return Promise.resolve(errorOutcome('aborted', 'the sandbox is closed', [], 0));
    if (req.signal?.aborted) return Promise.resolve(errorOutcome('aborted', 'the process was stopped by an operator', [], 0));
    if (req.deadline <= Date.now()) return Promise.resolve(errorOutcome('timeout', 'the deadline passed before the scenario started', [], 0));
    return new Promise((resolve) => {
      const run: PendingRun = {
        id: ++this.nextId,
        req,
        logs: [],
        arrived: Date.now(),
        child: null,
        resolve,
        settled: false,
        timer: undefined,
        fetches: new Map(),
        fetchLimit: new ConcurrencyLimit(this.options.fetchConcurrency ?? 8),
        onAbort: () => this.abort(run),
      };
      req.signal?.addEventListener('abort', run.onAbort, { once: true });
      // The sandbox process stops the run at its deadline; if it says nothing by a little after, it is stuck: kill it.
      run.timer = setTimeout(() => this.overdue(run), Math.max(0, req.deadline - Date.now()) + this.graceMs);
      this.queue.push(run);
      this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of [...this.queue]) this.settle(run, errorOutcome('aborted', 'the sandbox was closed while the scenario ran', run.logs, Date.now() - run.arrived));
    const exits: Promise<unknown>[] = [];
    for (const child of this.children) {
      for (const run of [...child.runs]) this.settle(run, errorOutcome('aborted', 'the sandbox was closed while the scenario ran', run.logs, Date.now() - run.arrived));
      exits.push(new Promise((resolve) => (child.process.exitCode !== null || child.process.signalCode !== null ? resolve(null) : child.process.once('exit', resolve))));
      child.process.kill('SIGKILL');
    }
    this.children.clear();
    await Promise.all(exits);
  }

  private spawn(): void {
    const child: SandboxChild = {
      process: fork(PROCESS_FILE, [], {
        // Nothing the worker's environment holds: no REDIS_URL, STORE_URL, ADMIN_TOKEN, SECRETS_KEY.
        env: {},
        execArgv: this.permissions.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        ...(this.ids ?? {}),
      }),
      ready: false,
      runs: new Set(),
      capacity: this.settings.threads,
      permission: '',
    };
    this.children.add(child);
    child.process.stderr?.setEncoding('utf8');
    child.process.stderr?.on('data', (text: string) => this.options.onEvent?.('sandbox process wrote on stderr', { pid: child.process.pid, text: text.slice(0, 2000) }));
    child.process.on('message', (message: unknown) => this.onMessage(child, message));
    child.process.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.process.on('error', (error) => this.options.onEvent?.('sandbox process error', { pid: child.process.pid, error: error.message }));
    this.send(child, { kind: 'init', settings: this.settings });
  }

  private send(child: SandboxChild, message: WorkerToSandbox): void {
    if (!child.process.connected) return;
    child.process.send(message, (error) => {
      if (error) this.options.onEvent?.('could not send to a sandbox process', { pid: child.process.pid, error: error.message });
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let best: SandboxChild | null = null;
      for (const child of this.children) {
        if (child.ready && child.runs.size < child.capacity && (best === null || child.runs.size < best.runs.size)) best = child;
      }
      if (!best) return;
      const run = this.queue.shift()!;
      run.child = best;
      best.runs.add(run);
      const { scriptId, scriptVersion, source, variables, deadline } = run.req;
      // Serialized here, once: the sandbox process hands the bytes to a thread without reading them.
      this.send(best, { kind: 'run', runId: run.id, request: { scriptId, scriptVersion, source, variables: { packed: serialize(variables) }, deadline } });
    }
  }

  private onMessage(child: SandboxChild, raw: unknown): void {
    const message = parseSandboxMessage(raw);
    if (!message) {
      this.options.onEvent?.('refused a malformed message from a sandbox process', { pid: child.process.pid });
      return;
    }
    if (message.kind === 'ready') {
      child.ready = true;
      child.permission = message.permission;
      this.crashes = 0;
      return this.pump();
    }
    const run = [...child.runs].find((candidate) => candidate.id === message.runId);
    if (!run) return; // A run already settled here (stopped, overdue): what comes after is not believed.
    this.onRunMessage(child, run, message);
  }

  private onRunMessage(child: SandboxChild, run: PendingRun, message: Exclude<SandboxToWorker, { kind: 'ready' }>): void {
    switch (message.kind) {
      case 'log':
        run.logs.push(message.entry);
        run.req.onLog?.(message.entry);
        return;
      case 'fetch':
        return this.fetchFor(child, run, message.fetchId, message.request);
      case 'fetch-abort':
        run.fetches.get(message.fetchId)?.abort();
        return;
      case 'outcome':
        child.runs.delete(run);
        this.settle(run, message.outcome);
        return this.pump();
    }
  }

  private fetchFor(child: SandboxChild, run: PendingRun, fetchId: number, request: OutboundRequest): void {
    if (!this.fetcher) return this.send(child, { kind: 'fetch-failed', runId: run.id, fetchId, message: FETCH_OFF });
    const controller = new AbortController();
    run.fetches.set(fetchId, controller);
    // The body crossed as a Uint8Array; the fetcher sends bytes as they are.
    const raw = request.body as string | Uint8Array | null;
    const body = raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) : raw;
    run.fetchLimit
      .run(() => (controller.signal.aborted ? Promise.reject(new Error('fetch aborted: the run ended')) : this.fetcher!.fetch({ ...request, body }, controller.signal)))
      .then(
        (answer) => {
          if (!run.settled) this.send(child, { kind: 'fetch-answer', runId: run.id, fetchId, answer });
        },
        (error: unknown) => {
          if (!run.settled) this.send(child, { kind: 'fetch-failed', runId: run.id, fetchId, message: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => run.fetches.delete(fetchId));
  }

  private onExit(child: SandboxChild, code: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(child);
    if (this.closed) return;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    for (const run of [...child.runs]) {
      this.settle(run, errorOutcome('sandbox_crashed', `the sandbox process running the scenario died (${how}); it was replaced`, run.logs, Date.now() - run.arrived));
    }
    this.options.onEvent?.('sandbox process died; starting another', { pid: child.process.pid, how, runs: child.runs.size });
    // A process that cannot start (a broken install) must not be restarted in a tight loop.
    this.crashes++;
    const delay = child.ready ? 0 : Math.min(5000, 100 * 2 ** Math.min(this.crashes, 6));
    setTimeout(() => {
      if (!this.closed) {
        this.spawn();
        this.pump();
      }
    }, delay).unref();
  }

  /** An operator's stop: the sandbox process kills the run's thread and answers `aborted`. */
  private abort(run: PendingRun): void {
    if (run.settled) return;
    if (!run.child) return this.settle(run, errorOutcome('aborted', 'the process was stopped by an operator', run.logs, Date.now() - run.arrived));
    this.send(run.child, { kind: 'stop', runId: run.id });
  }

  /** Past the deadline and its grace with no outcome: the sandbox process is stuck; kill it (its runs fail, it is replaced). */
  private overdue(run: PendingRun): void {
    if (run.settled) return;
    const child = run.child;
    this.settle(run, errorOutcome('timeout', `the scenario was stopped at its deadline after ${Date.now() - run.arrived} ms`, run.logs, Date.now() - run.arrived));
    if (child) {
      child.runs.delete(run);
      child.process.kill('SIGKILL');
    }
  }

  private settle(run: PendingRun, outcome: SandboxOutcome): void {
    if (run.settled) return;
    run.settled = true;
    clearTimeout(run.timer);
    run.req.signal?.removeEventListener('abort', run.onAbort);
    run.child?.runs.delete(run);
    const queued = this.queue.indexOf(run);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const controller of run.fetches.values()) controller.abort();
    if (outcome.kind === 'error' && FORCED_STOPS.test(`${outcome.error.code} ${outcome.error.message}`)) this.stops++;
    run.resolve(outcome);
  }
}

/** Outcomes of runs that were stopped by force, not ended by their scenario. */
const FORCED_STOPS = /^(timeout|aborted|sandbox_crashed) |memory limit/;

/** Starts a {@link ProcessSandbox}; its processes start now. */
export function createProcessSandbox(options: ProcessSandboxOptions): ProcessSandbox {
  return new ProcessSandbox(options);
}
