import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort, pingRedis } from '@webrequests/local-redis';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * Counts the runs of scenarios: the scenario {@link COUNTED_SOURCE} reports each run with the token its
 * request carried (`?t=…`), so a test knows how often each accepted request really ran.
 */
export interface RunCounter {
  port: number;
  /** Runs seen per token. */
  runs: Map<string, number>;
  close(): Promise<void>;
}

export async function startRunCounter(): Promise<RunCounter> {
  const runs = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('t') ?? '';
    runs.set(token, (runs.get(token) ?? 0) + 1);
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return { port, runs, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A scenario that reports its run to the counter, then waits `query.ms` (default 0) and answers its token. */
export function countedSource(counterPort: number): string {
  return `
    await fetch('http://127.0.0.1:${counterPort}/run?t=' + encodeURIComponent(query.t));
    await sleep(Number(query.ms || 0));
    return { $body: { token: query.t } };
  `;
}

/** A redis-server of the test's own (to kill and restart), on a fixed port and folder across restarts. */
export interface OwnRedis {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: no chance to save anything. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function ownRedis(options: { aof: boolean }): Promise<OwnRedis> {
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'wr-fault-redis-'));
  let child: ChildProcess | null = null;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.aof ? 'yes' : 'no', '--appendfsync', 'always'];
  const start = async (): Promise<void> => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const until = Date.now() + 10_000;
    while (!(await pingRedis(port))) {
      if (Date.now() > until) throw new Error('the fault test redis-server did not start');
      await sleep(50);
    }
  };
  const kill = async (): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, kill, stop: kill };
}

/** One request of a load, and what came of it. */
export interface Sent {
  token: string;
  async: boolean;
  /** 0 when the connection failed. */
  status: number;
  processId: string | null;
  body: unknown;
}

/** Sends one request to `url` with token `token`; never throws (a failed connection is status 0). */
export async function send(url: string, token: string, isAsync: boolean, extraQuery: Record<string, string> = {}): Promise<Sent> {
  const query = new URLSearchParams({ t: token, ...(isAsync ? { async: 'true' } : {}), ...extraQuery });
  try {
    const response = await fetch(`${url}?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text
    }
    const fromBody = (body as { error?: { processId?: string } } | null)?.error?.processId ?? null;
    return { token, async: isAsync, status: response.status, processId: response.headers.get('x-process-id') ?? fromBody, body };
  } catch {
    return { token, async: isAsync, status: 0, processId: null, body: null };
  }
}

export interface ProcessRow {
  id: string;
  status: string;
  async: boolean;
  attempts: number;
  error: { code: string; message: string } | null;
  input: { query?: { t?: string } } | null;
}

/** Every process record of one endpoint (all pages). */
export async function allProcesses(stack: TestStack, webrequestId: string): Promise<ProcessRow[]> {
  const rows: ProcessRow[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ webrequestId, limit: '200', ...(cursor ? { cursor } : {}) });
    const page: { items: ProcessRow[]; nextCursor: string | null } = await stack.admin('GET', `/processes?${query}`);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

const FINAL = new Set(['completed', 'failed', 'aborted']);

/** Waits until every record of the endpoint is final, or `timeoutMs` passed; answers the records. */
export async function settle(stack: TestStack, webrequestId: string, timeoutMs: number): Promise<ProcessRow[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await allProcesses(stack, webrequestId);
    if (rows.every((row) => FINAL.has(row.status)) || Date.now() > until) return rows;
    await sleep(200);
  }
}

/**
 * What every fault scenario asserts of its load: no accepted process lost (each has a record, final),
 * no completed process answered 504, every run counted in `attempts`, and no run without a record.
 * Answers a summary for the Guarantees table of docs/operators.md.
 */
export function audit(sent: Sent[], rows: ProcessRow[], allRuns: Map<string, number>): AuditSummary {
  // Only this load's runs: a counter may serve several tests.
  const mine = new Set(sent.map((s) => s.token));
  const runs = new Map([...allRuns].filter(([token]) => mine.has(token)));
  // By token: a sync answer that the scenario gave carries no process id.
  const byToken = new Map(rows.map((row) => [row.input?.query?.t, row]));
  const accepted = sent.filter((s) => (s.async ? s.status === 200 : s.processId !== null || s.status === 200));
  const problems: string[] = [];
  for (const s of accepted) {
    const row = byToken.get(s.token);
    if (!row) {
      problems.push(`${s.token}: accepted (status ${s.status}) but has no record`);
      continue;
    }
    if (!FINAL.has(row.status)) problems.push(`${s.token}: record ${row.id} still ${row.status}`);
    if (!s.async && s.status === 504 && row.status === 'completed') problems.push(`${s.token}: completed, yet its caller got 504`);
    if (!s.async && s.status === 200 && row.status !== 'completed') problems.push(`${s.token}: answered 200 but the record says ${row.status}`);
    if (!s.async && s.status >= 400 && row.error && (s.body as { error?: { code?: string } })?.error?.code !== row.error.code) {
      problems.push(`${s.token}: caller got code ${(s.body as { error?: { code?: string } })?.error?.code} but the record says ${row.error.code}`);
    }
    const ran = runs.get(s.token) ?? 0;
    if (ran > Math.max(1, row.attempts)) problems.push(`${s.token}: ran ${ran} times, record says attempts ${row.attempts}`);
  }
  const tokensWithRecord = new Set(rows.map((row) => row.input?.query?.t));
  for (const [token, count] of runs) {
    if (!tokensWithRecord.has(token)) problems.push(`${token}: ran ${count} time(s) with no record`);
  }
  const statuses: Record<string, number> = {};
  for (const s of sent) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const final: Record<string, number> = {};
  for (const row of rows) final[row.status] = (final[row.status] ?? 0) + 1;
  return {
    sent: sent.length,
    accepted: accepted.length,
    answered: statuses,
    records: rows.length,
    final,
    runs: [...runs.values()].reduce((a, b) => a + b, 0),
    repeatedRuns: [...runs.values()].filter((n) => n > 1).length,
    problems,
  };
}

export interface AuditSummary {
  sent: number;
  accepted: number;
  answered: Record<string, number>;
  records: number;
  final: Record<string, number>;
  runs: number;
  repeatedRuns: number;
  problems: string[];
}

/** Prints a summary line the Guarantees table of docs/operators.md is filled from. */
export function report(name: string, summary: AuditSummary): void {
  const { problems, ...figures } = summary;
  process.stdout.write(`[fault] ${name}: ${JSON.stringify(figures)}${problems.length ? ` problems: ${problems.length}` : ''}\n`);
}

/** The stack and run counter of one fault test file, as {@link useFaultStack} gives them. */
export interface FaultStack {
  stack: TestStack;
  counter: RunCounter;
}

/**
 * Starts, for the enclosing `describe`, a run counter and a stack whose scenarios may reach it, with
 * `env` laid over the harness's (a function: computed in `beforeAll`, e.g. from a Redis started there).
 * Stops both after, then runs `after` (e.g. stops that Redis). Read the fields inside tests: they are set once `beforeAll` ran.
 */
export function useFaultStack(options: { workers?: number; ingresses?: number; env: () => Record<string, string>; after?: () => Promise<void> }): FaultStack {
  const context = {} as FaultStack;
  beforeAll(async () => {
    context.counter = await startRunCounter();
    context.stack = await startTestStack({
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.ingresses !== undefined ? { ingresses: options.ingresses } : {}),
      env: { SCENARIO_FETCH_ALLOW: `127.0.0.1:${context.counter.port}`, ...options.env() },
    });
  });
  afterAll(async () => {
    await context.stack?.stop();
    await context.counter?.close();
    await options.after?.();
  });
  return context;
}
