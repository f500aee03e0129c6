import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';

/**
 * The project must run from a fresh clone on any machine: no test, script or service may name a path
 * outside the repository (a sibling folder, the home directory, the machine's own layout). These checks
 * read every source file, test, bench and CI script the repository holds.
 */
const ROOT = resolve(__dirname, '..');
const SCANNED_DIRS = ['libs', 'services', 'bench', 'test', '.ci', 'examples'];
const SCANNED_FILES = ['package.json', 'jest.config.ts'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'data', '.test-output', 'fixtures', 'results', 'profiles']);
const CODE_EXTENSIONS = new Set(['.ts', '.js', '.cjs', '.mjs', '.sh', '.json']);

/**
 * Top-level folders of a Unix machine a program may name: the system's own (binaries, devices, temp),
 * the same on every Debian host. Anything else at the root (work, home, srv, mnt, …) is
 * one machine's layout.
 */
const SYSTEM_ROOTS = new Set(['bin', 'sbin', 'usr', 'lib', 'lib64', 'etc', 'dev', 'proc', 'sys', 'tmp', 'var', 'run']);
const MACHINE_ROOTS = new Set(['home', 'root', 'work', 'srv', 'mnt', 'media', 'opt', 'Users', 'workspace', 'builds']);

/** Every file the scan covers, relative to the root. */
function scannedFiles(): string[] {
  const found: string[] = SCANNED_FILES.filter((file) => existsSync(join(ROOT, file)));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (CODE_EXTENSIONS.has(extname(entry.name)) || (dir === '.ci' && !extname(entry.name))) {
        found.push(path);
      }
    }
  };
  for (const dir of SCANNED_DIRS) if (existsSync(join(ROOT, dir))) walk(dir);
  return found;
}

/** Roots that name this machine's layout: the well-known ones, those present here, and the repo's own. */
function machineRoots(): Set<string> {
  const roots = new Set(MACHINE_ROOTS);
  for (const entry of readdirSync('/', { withFileTypes: true })) {
    if (entry.isDirectory() && !SYSTEM_ROOTS.has(entry.name) && entry.name !== 'boot') roots.add(entry.name);
  }
  roots.add(ROOT.split(sep)[1]!);
  return roots;
}

/** String literals (quoted or in a template) that start like an absolute path under one of `roots`. */
export function absolutePathsIn(text: string, roots: Set<string>): string[] {
  const hits: string[] = [];
  for (const match of text.matchAll(/(?<=['"`(=\s])\/([A-Za-z0-9_.-]+)(\/[^\s'"`)]*)?/g)) {
    if (roots.has(match[1]!)) hits.push(match[0]);
  }
  return hits;
}

/**
 * `join(__dirname, '..', 'x')` / `resolve(__dirname, …)` chains of string literals that climb out of
 * the repository, worked out from the file's own folder.
 */
export function escapingJoinsIn(text: string, fileDir: string, root: string): string[] {
  const hits: string[] = [];
  for (const match of text.matchAll(/\b(?:join|resolve)\(\s*__dirname\s*((?:,\s*(?:'[^']*'|"[^"]*")\s*)+)\)/g)) {
    const parts = [...match[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((part) => part[1] ?? part[2]!);
    const target = resolve(fileDir, ...parts);
    const inside = relative(root, target);
    if (inside.startsWith('..') || resolve(root, inside) !== target) hits.push(`${match[0]} -> ${target}`);
  }
  return hits;
}

describe('the repository is self-contained', () => {
  const files = scannedFiles();
  const roots = machineRoots();

  it('scans the tests, the services, the bench and the CI scripts', () => {
    // A scan that finds nothing would pass for the wrong reason.
    for (const expected of ['bench/lib/payload.js', 'services/stack/test/variables.test.ts', '.ci/run', 'libs/sandbox/src/sandbox.ts']) {
      expect(files).toContain(expected);
    }
  });

  it('names no absolute path outside the repository in any test, script or source file', () => {
    const offenders = files.flatMap((file) => {
      return absolutePathsIn(readFileSync(join(ROOT, file), 'utf8'), roots).map((hit) => `${file}: ${hit}`);
    });
    expect(offenders).toEqual([]);
  });

  it('builds no path that climbs out of the repository from a file\'s folder', () => {
    const offenders = files.flatMap((file) => {
      if (file === join('test', basename(__filename))) return []; // this file names them as examples
      return escapingJoinsIn(readFileSync(join(ROOT, file), 'utf8'), dirname(join(ROOT, file)), ROOT).map((hit) => `${file}: ${hit}`);
    });
    expect(offenders).toEqual([]);
  });

  it('catches the shapes it looks for', () => {
    // The checks above pass only if these would have been caught: the two ways the corpus was once read.
    // Built from parts, so that this file itself names no such path.
    const sibling = ['', 'work', 'shared', 'corpus', 'github-webhooks'].join('/');
    expect(absolutePathsIn(`const CORPUS = '${sibling}';`, new Set(['work']))).toEqual([sibling]);
    expect(absolutePathsIn(`fetch('/api/webrequest/echo'); spawn('/usr/bin/chromium')`, new Set(['work', 'home']))).toEqual([]);
    const benchLib = join(ROOT, 'bench', 'lib');
    expect(escapingJoinsIn(`join(__dirname, '..', '..', '..', 'shared', 'corpus')`, benchLib, ROOT)).toHaveLength(1);
    expect(escapingJoinsIn(`join(__dirname, '..', '..', 'test', 'fixtures')`, benchLib, ROOT)).toEqual([]);
  });

  it('holds the corpus fixtures the tests read, with their licence and origin', () => {
    const corpus = join(ROOT, 'test', 'fixtures', 'github-webhooks');
    expect(readFileSync(join(corpus, 'LICENSE'), 'utf8')).toMatch(/MIT License/);
    expect(readFileSync(join(corpus, 'README.md'), 'utf8')).toMatch(/octokit\/webhooks/);
    const events = readdirSync(corpus).filter((name) => statSync(join(corpus, name)).isDirectory());
    expect(events.length).toBeGreaterThanOrEqual(50);
  });
});
