import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Where Debian's package puts the binary, whatever PATH the caller searched. */
export const DEBIAN_BIN = '/usr/bin';

/** True when this process may install packages with apt-get: root on Debian or Ubuntu. */
export function canInstallWithApt(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version');
}

/**
 * Installs Debian's `redis-server` with apt-get (update, then install without recommends), telling
 * the person through `log` first. apt's own output goes to `log` line by line when `streamToLog`,
 * else straight to this process's stdout/stderr. Rejects with a one-line message if the install fails.
 */
export async function installRedisServer(log: (line: string) => void, streamToLog: boolean): Promise<void> {
  log("No redis-server on the PATH: installing Debian's redis-server with apt-get (once; takes about a minute)");
  const update = await runApt(['update'], log, streamToLog);
  if (update !== 0) log(`apt-get update failed (exit ${update}); trying the install with the package lists already here`);
  // Waiting on the dpkg lock beats failing when another apt-get (e.g. a parallel `npm test`) holds it.
  const args = ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', 'redis-server'];
  const install = await runApt(args, log, streamToLog);
  if (install !== 0) {
    throw new Error(
      `apt-get install redis-server failed (exit ${install}): set REDIS_URL=redis://host:6379, or install redis-server yourself`,
    );
  }
  // The package may also start a system service on 6379; we do not rely on it and start our own.
  log('Installed redis-server; a private server on a spare port is started for this process');
}

function runApt(args: string[], log: (line: string) => void, streamToLog: boolean): Promise<number> {
  return new Promise((resolve) => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const output = streamToLog ? 'pipe' : 'inherit';
    const child = spawn('apt-get', args, { env, stdio: ['ignore', output, output] });
    if (streamToLog) {
      for (const stream of [child.stdout, child.stderr]) {
        if (stream) createInterface({ input: stream }).on('line', (line) => log(`apt-get: ${line}`));
      }
    }
    child.once('error', (error) => {
      log(`apt-get could not run: ${error.message}`);
      resolve(127);
    });
    child.once('close', (code) => resolve(code ?? 1));
  });
}
