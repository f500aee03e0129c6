import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository's root, where `npm run catalog` runs. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The compiled catalog command. */
export const CATALOG_CLI = join(REPO_ROOT, 'services', 'stack', 'dist', 'catalog-cli.js');

/** How a run of the catalog command ended. */
export interface CatalogOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where and how {@link catalogProcess} runs the command. */
export interface CatalogProcessOptions {
  /** The environment besides PATH, which is all the command gets. */
  env?: Record<string, string>;
  /** Default: the repository's root. */
  cwd?: string;
  /** Written to its stdin, which is then closed. */
  stdin?: string;
  /** `node catalog-cli.js …` (the default), or `npm run --silent catalog -- …` from the root package. */
  via?: 'node' | 'npm';
}

/** Runs the catalog command as a process with `args` until it exits (at most 60 s); answers its exit code and output. */
export function catalogProcess(args: readonly string[], options: CatalogProcessOptions = {}): Promise<CatalogOutcome> {
  const [file, argv] = options.via === 'npm' ? ['npm', ['run', '--silent', 'catalog', '--', ...args]] : [process.execPath, [CATALOG_CLI, ...args]];
  return new Promise((done) => {
    const env = { PATH: process.env.PATH, ...options.env };
    const child = execFile(file, argv, { cwd: options.cwd ?? REPO_ROOT, env, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? (error as { code: number }).code : 0, stdout, stderr }),
    );
    child.stdin!.end(options.stdin ?? '');
  });
}
