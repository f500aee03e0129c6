import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

/** A service process started by the local stack, its JSON logs going to a file. */
export interface ChildService {
  name: string;
  child: ChildProcess;
  /** The service's first IPC message (`listening` with its port, or `ready`). */
  ready: Promise<{ kind: string; port?: number; metricsPort?: number }>;
  stop(): Promise<void>;
}

/** Path of a service's compiled `main.js`, through its package (so it works from any cwd). */
export function serviceMain(pkg: '@webrequests/ingress' | '@webrequests/worker'): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'main.js');
}

/**
 * Forks a service with `env`, logs appended to `logFile`; stderr stays on the console so that a start
 * failure is seen. `ready` rejects if the process exits before saying it is ready.
 */
export function startService(name: string, main: string, env: NodeJS.ProcessEnv, logFile: string): ChildService {
  const child = fork(main, [], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout!.pipe(createWriteStream(logFile, { flags: 'a' }));
  const ready = new Promise<{ kind: string; port?: number; metricsPort?: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { kind: string; port?: number; metricsPort?: number }));
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
  });
  ready.catch(() => undefined);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    // A service exits by its own hard limit (SHUTDOWN_TIMEOUT_MS, past the sync deadline); this is for one that hangs.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, ready, stop };
}
