import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Node's permission model as this Node offers it, for the sandbox processes it starts. */
export interface SandboxPermissions {
  /** The flags a sandbox process is started with. */
  execArgv: string[];
  /** One line for the worker's start-up log: what the sandbox processes may and may not do. */
  description: string;
}

const flags = process.allowedNodeEnvironmentFlags;

/** The folders a sandbox process may read: its own code and its dependencies, nothing else (no data, no config). */
export function sandboxReadPaths(): string[] {
  const paths = new Set([realpathSync(join(__dirname, '..'))]);
  for (const name of SANDBOX_PACKAGES) {
    // Both the path a require meets (a workspace's symlink in node_modules) and where it leads.
    for (const dir of require.resolve.paths(name) ?? []) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) {
        paths.add(candidate);
        paths.add(realpathSync(candidate));
        break;
      }
    }
    paths.add(realpathSync(dirname(require.resolve(`${name}/package.json`))));
  }
  return [...paths];
}

/** What the sandbox process and its threads load, besides the sandbox's own files. */
const SANDBOX_PACKAGES = ['@webrequests/contracts', '@webrequests/scenario-syntax', 'vm2', 'acorn', 'acorn-walk'];

/**
 * The strongest permission model the running Node has: `--permission` (Node 22.13+; from Node 25 it
 * also denies the network unless `--allow-net`) or `--experimental-permission` (Node 20: file system,
 * child processes, worker threads and addons, not the network). Reads are allowed only of `readPaths`;
 * worker threads are allowed (the sandbox's pool needs them); writes, child processes and native addons
 * are not.
 */
export function sandboxPermissions(readPaths: string[] = sandboxReadPaths()): SandboxPermissions {
  const major = Number(process.versions.node.split('.')[0]);
  const stable = flags.has('--permission');
  const enable = stable ? '--permission' : '--experimental-permission';
  // Once per path: Node 20's comma-separated form does not take folders (measured on 20.20).
  const reads = readPaths.map((path) => `--allow-fs-read=${path}`);
  // The warnings say what this module knows; printed by every process and thread, they would flood the log.
  const quiet = flags.has('--disable-warning') ? ['--disable-warning=ExperimentalWarning', '--disable-warning=SecurityWarning'] : [];
  const networkDenied = major >= 25;
  const description =
    `Node ${process.versions.node} ${enable}: reads of the sandbox's code only; no file writes, child processes or addons; ` +
    (networkDenied ? 'no network' : 'network NOT denied by this Node (use Node 25+ or a network policy: the sandbox process needs none)');
  return { execArgv: [enable, ...reads, '--allow-worker', ...quiet], description };
}

/** In a sandbox process: what the permission model in force denies, as one line (for its `ready` message). */
export function permissionInForce(): string {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  if (!permission) return 'no permission model';
  const denied = ['fs.write', 'child', 'addon', 'net'].filter((scope) => {
    try {
      return !permission.has(scope);
    } catch {
      return false; // a scope this Node does not know (net before 25)
    }
  });
  return `denied: ${denied.join(', ')}`;
}
