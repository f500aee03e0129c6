import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run dev` (SPEC §11 "local loop"): the stack of `npm start`, plus a watcher that applies every
 * change of the catalog folder (CATALOG_DIR) at once and prints what changed, or the error with its
 * file and line, while the last good version keeps serving. Run as the real process, against the test
 * Redis, in a folder of its own (its ./data).
 */

const MAIN = resolve(__dirname, '..', 'dist', 'main.js');

let child: ChildProcess;
let stdout = '';
let stderr = '';
let base = '';
let catalog = '';

/** Resolves once `pattern` appears in the output (stdout or stderr) after `from` characters. */
async function output(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', from = 0, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = (stream === 'stdout' ? stdout : stderr).slice(from);
    const match = pattern.exec(text);
    if (match) return match[0];
    if (Date.now() > until) throw new Error(`no ${pattern} in ${stream} within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function writeCatalog(files: Record<string, string>, webrequests: unknown[]): void {
  for (const [name, source] of Object.entries(files)) writeFileSync(join(catalog, 'scenarios', `${name}.js`), source);
  writeFileSync(join(catalog, 'webrequests.json'), JSON.stringify({ webrequests }));
}

async function answer(urlId: string): Promise<unknown> {
  return (await fetch(`${base}/api/webrequest/${urlId}`)).json();
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wr-dev-'));
  catalog = join(dir, 'catalog');
  mkdirSync(join(catalog, 'scenarios'), { recursive: true });
  writeCatalog({ hello: 'return { v: 1 };' }, [{ urlId: 'dev/hello', name: 'Hello', scenario: 'hello' }]);
  child = spawn(process.execPath, [MAIN, '--watch'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      REDIS_URL: process.env.TEST_REDIS_URL,
      STORE_URL: `sqlite:${join(dir, 'store.db')}`,
      CATALOG_DIR: catalog,
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      QUEUE_PREFIX: `{dev${randomBytes(4).toString('hex')}}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await output(/Watching .*: every change is applied at once\./, 'stdout', 0, 60_000);
  base = /ingress: +(http:\/\/\S+)/.exec(stdout)![1]!;
}, 90_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
});

it('loads CATALOG_DIR at start, says it is watching it, and serves its endpoints', async () => {
  expect(stdout).toContain("Endpoints loaded from catalog/:");
  expect(stdout).toMatch(/api\/webrequest\/dev\/hello/);
  expect(await answer('dev/hello')).toEqual({ v: 1 });
});

it('applies a changed scenario at once and prints it as updated', async () => {
  const mark = stdout.length;
  writeCatalog({ hello: 'return { v: 2 };' }, [{ urlId: 'dev/hello', name: 'Hello', scenario: 'hello' }]);
  expect(await output(/updated +scenario +hello/, 'stdout', mark)).toBeTruthy();
  expect(await answer('dev/hello')).toEqual({ v: 2 });
});

it('prints a syntax error with its file and line, applies nothing, and keeps serving the last good version', async () => {
  const mark = stderr.length;
  writeFileSync(join(catalog, 'scenarios', 'hello.js'), 'return { v: ;');
  const line = await output(/catalog: scenarios\/hello\.js: SyntaxError: .*\(line 1\).*/, 'stderr', mark);
  expect(line).toContain('nothing was applied');
  expect(await answer('dev/hello')).toEqual({ v: 2 });
  const fixed = stdout.length;
  writeFileSync(join(catalog, 'scenarios', 'hello.js'), 'return { v: 3 };');
  await output(/updated +scenario +hello/, 'stdout', fixed);
  expect(await answer('dev/hello')).toEqual({ v: 3 });
});

it('creates an endpoint added to the manifest, and prints it', async () => {
  const mark = stdout.length;
  writeCatalog({ hello: 'return { v: 3 };', other: "return { other: true };" }, [
    { urlId: 'dev/hello', name: 'Hello', scenario: 'hello' },
    { urlId: 'dev/other', name: 'Other', scenario: 'other' },
  ]);
  await output(/created +webrequest +dev\/other/, 'stdout', mark);
  expect(await answer('dev/other')).toEqual({ other: true });
  // Unchanged items are not printed: a save should say what it changed, not list the catalog.
  expect(stdout.slice(mark)).not.toMatch(/unchanged/);
});
