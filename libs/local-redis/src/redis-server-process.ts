import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreePort } from './find-free-port';
import type { LocalRedis } from './local-redis';
import { OutputTail } from './output-tail';
import { pingRedis } from './ping-redis';

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;
const KILL_AFTER_MS = 5_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A child that stopped before it was ready; `portTaken` says a retry on another port may work. */
class StartFailure extends Error {
  constructor(message: string, readonly portTaken: boolean) {
    super(message);
    this.name = 'StartFailure';
  }
}

/**
 * Starts `binary` (a `redis-server`) on a free loopback port, with no persistence, and resolves once
 * it answers PING. Rejects with the server's output tail if it dies or stays silent past
 * `startTimeoutMs`. The caller owns the returned handle and must `stop()` it.
 */
export async function startRedisServer(binary: string, startTimeoutMs: number): Promise<LocalRedis> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort(HOST);
    try {
      return await startOnPort(binary, port, startTimeoutMs);
    } catch (error) {
      // The free port is only free until someone else binds it; another port usually works.
      const retry = error instanceof StartFailure && error.portTaken && attempt < PORT_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

async function startOnPort(binary: string, port: number, timeoutMs: number): Promise<LocalRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'webrequests-redis-'));
  const child = spawn(binary, serverArgs(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new OutputTail();
  tail.collect(child.stdout);
  tail.collect(child.stderr);
  const exited = exitOf(child);
  try {
    await waitUntilReady(port, exited, tail, timeoutMs);
  } catch (error) {
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= stopChild(child, exited).finally(() => rm(dir, { recursive: true, force: true })));
  return { url: `redis://${HOST}:${port}`, started: true, stop };
}

function serverArgs(port: number, dir: string): string[] {
  return [
    '--port', String(port),
    '--bind', HOST,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    // BullMQ loses jobs if Redis evicts keys under memory pressure.
    '--maxmemory-policy', 'noeviction',
    '--dir', dir,
  ];
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A spawn failure (EACCES, ENOENT) emits 'error' and may never emit 'exit'.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
}

async function waitUntilReady(
  port: number,
  exited: Promise<Exit>,
  tail: OutputTail,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));
  while (Date.now() < deadline) {
    if (exit) throw diedDuringStart(exit, tail);
    if (await pingRedis(port, HOST)) return;
    await delay(50);
  }
  if (exit) throw diedDuringStart(exit, tail);
  const silent = `redis-server did not answer PING on port ${port} within ${timeoutMs} ms; its output:\n${tail}`;
  throw new StartFailure(silent, false);
}

function diedDuringStart(exit: Exit, tail: OutputTail): StartFailure {
  const how = exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  const output = tail.toString();
  const portTaken = output.includes('Address already in use');
  return new StartFailure(`redis-server stopped during start (${how}); its output:\n${output}`, portTaken);
}

async function stopChild(child: ChildProcess, exited: Promise<Exit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = new AbortController();
  const inTime = await Promise.race([
    exited.then(() => true),
    delay(KILL_AFTER_MS, false, { signal: timer.signal }).catch(() => true),
  ]);
  timer.abort();
  if (!inTime) {
    child.kill('SIGKILL');
    await exited;
  }
}
