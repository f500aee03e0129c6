import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, pingRedis } from '@webrequests/local-redis';

const run = promisify(execFile);
const HOST = '127.0.0.1';

/** A Redis Cluster of masters on loopback ports, for one test file. */
export interface TestRedisCluster {
  /** `redis://127.0.0.1:P` of each master: seeds for `REDIS_URL` with `REDIS_CLUSTER=true`. */
  urls: string[];
  ports: number[];
  stop(): Promise<void>;
}

/** Why a cluster cannot be started here (`redis-server` or `redis-cli` not on the PATH), or null. */
export function clusterToolsMissing(): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  const missing = ['redis-server', 'redis-cli'].filter((tool) => !dirs.some((dir) => existsSync(join(dir, tool))));
  return missing.length > 0 ? `${missing.join(' and ')} not on the PATH` : null;
}

/** Distinct free loopback ports: a node's client port and its cluster bus port (not port + 10000, which may pass 65535). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort(HOST));
  return [...ports];
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Redis Cluster: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function clusterStateOk(port: number): Promise<boolean> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), 'cluster', 'info']).catch(() => ({ stdout: '' }));
  return /^cluster_state:ok\r?$/m.test(stdout);
}

/**
 * Starts `masters` `redis-server` processes in cluster mode (no persistence), joins them with
 * `redis-cli --cluster create` (no replicas; the slots shared out) and resolves once every node says
 * `cluster_state:ok`. The caller must `stop()` it.
 */
export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'wr-cluster-'));
  const ports = await freePorts(masters * 2);
  const clientPorts = ports.slice(0, masters);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    clientPorts.forEach((port, i) => {
      const args = [
        '--port', String(port), '--bind', HOST, '--cluster-enabled', 'yes',
        '--cluster-port', String(ports[masters + i]), '--cluster-config-file', join(dir, `nodes-${port}.conf`),
        '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
      ];
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    });
    for (const port of clientPorts) await waitFor(`node ${port} answering`, () => pingRedis(port, HOST), 10_000);
    const nodes = clientPorts.map((port) => `${HOST}:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of clientPorts) await waitFor(`cluster_state:ok on ${port}`, () => clusterStateOk(port), 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: clientPorts.map((port) => `redis://${HOST}:${port}`), ports: clientPorts, stop };
}
