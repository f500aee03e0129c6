import { join } from 'node:path';
import { findExecutable } from './find-executable';
import { canInstallWithApt, DEBIAN_BIN, installRedisServer } from './install-redis-server';
import type { LocalRedis, ObtainRedisOptions } from './local-redis';
import { startRedisServer } from './redis-server-process';

/** The one line a person gets when no Redis can be had. */
export const NO_REDIS_MESSAGE =
  'No Redis: set REDIS_URL=redis://host:6379, or install redis-server (Debian/Ubuntu: sudo apt-get install redis-server)';

const DEFAULT_START_TIMEOUT_MS = 10_000;

/**
 * Finds a Redis for this process, in order: the given `url`; else a `redis-server` on the PATH,
 * started on a free loopback port without persistence; else, as root on Debian/Ubuntu and unless
 * `allowInstall` is false, Debian's `redis-server` installed with apt-get and then started.
 * Otherwise rejects with a one-line instruction ({@link NO_REDIS_MESSAGE}).
 *
 * A started server lives until `stop()` (or until this process's group is signalled): the caller
 * must call `stop()` on shutdown.
 */
export async function obtainRedis(options: ObtainRedisOptions = {}): Promise<LocalRedis> {
  if (options.url) return { url: options.url, started: false, stop: async () => {} };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binary = await findOrInstall(options, log);
  const redis = await startRedisServer(binary, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  log(`Started ${binary} at ${redis.url} (no persistence; stopped with this process)`);
  return redis;
}

async function findOrInstall(options: ObtainRedisOptions, log: (line: string) => void): Promise<string> {
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const found = findExecutable('redis-server', searchPath);
  if (found) return found;
  if (options.allowInstall === false || !canInstallWithApt()) throw new Error(NO_REDIS_MESSAGE);
  await installRedisServer(log, options.log !== undefined);
  const installed = findExecutable('redis-server', searchPath) ?? findExecutable('redis-server', DEBIAN_BIN);
  if (!installed) {
    throw new Error(`apt-get installed redis-server but ${join(DEBIAN_BIN, 'redis-server')} is missing. ${NO_REDIS_MESSAGE}`);
  }
  return installed;
}
