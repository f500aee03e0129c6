import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openStore } from '@webrequests/store';
import { printableStoreUrl } from '../src/catalog-cli';

/**
 * The catalog command (`npm run catalog -- apply <dir>`, SPEC §5 "catalogs as files"), run as a real
 * process against a SQLite store named by STORE_URL.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'services', 'stack', 'dist', 'catalog-cli.js');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function catalog(args: string[], storeUrl: string, command: 'node' | 'npm' = 'node'): Promise<Outcome> {
  const [file, argv] = command === 'node' ? [process.execPath, [CLI, ...args]] : ['npm', ['run', '--silent', 'catalog', '--', ...args]];
  try {
    const { stdout, stderr } = await run(file, argv, { cwd: ROOT, env: { PATH: process.env.PATH, STORE_URL: storeUrl } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The per-item lines of a report, as `action kind key`. */
function items(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim().split(/\s+/).join(' '))
    .sort();
}

function catalogDir(files: Record<string, string>, manifest: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'wr-catalog-'));
  mkdirSync(join(dir, 'scenarios'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, 'scenarios', `${name}.js`), source);
  writeFileSync(join(dir, 'webrequests.json'), JSON.stringify(manifest));
  return dir;
}

function freshStore(): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), 'wr-catalog-store-')), 'store.db')}`;
}

const MANIFEST = {
  webrequests: [
    { urlId: 'hello', name: 'Hello', scenario: 'hello' },
    { urlId: 'orders/new', name: 'New order', scenario: 'order', corsOrigins: ['https://shop.example'] },
  ],
};
const FILES = { hello: "// Says hello.\nreturn { hello: query.name ?? 'world' };", order: 'return { ok: true };' };

it('creates every scenario and endpoint of a folder, then reports them all unchanged on a second run', async () => {
  const dir = catalogDir(FILES, MANIFEST);
  const storeUrl = freshStore();
  const first = await catalog(['apply', dir], storeUrl);
  expect(first.code).toBe(0);
  expect(items(first.stdout)).toEqual(['created scenario hello', 'created scenario order', 'created webrequest hello', 'created webrequest orders/new']);
  expect(first.stdout).toContain('4 created, 0 updated, 0 unchanged');

  const second = await catalog(['apply', dir], storeUrl);
  expect(items(second.stdout)).toEqual(['unchanged scenario hello', 'unchanged scenario order', 'unchanged webrequest hello', 'unchanged webrequest orders/new']);
  expect(second.stdout).toContain('0 created, 0 updated, 4 unchanged');

  const store = await openStore(storeUrl);
  try {
    const endpoint = await store.getWebRequestByUrlId('orders/new');
    const scenario = await store.getScenario(endpoint!.scriptId);
    expect(endpoint).toMatchObject({ name: 'New order', status: 'active', corsOrigins: ['https://shop.example'] });
    expect(scenario).toMatchObject({ name: 'order', source: 'return { ok: true };' });
    expect((await store.getScenario((await store.getWebRequestByUrlId('hello'))!.scriptId))!.description).toBe('Says hello.');
    expect((await store.listScenarios()).items).toHaveLength(2);
  } finally {
    await store.close();
  }
});

it('reports a changed scenario file and a changed endpoint as updated, and the rest unchanged', async () => {
  const storeUrl = freshStore();
  expect((await catalog(['apply', catalogDir(FILES, MANIFEST)], storeUrl)).code).toBe(0);
  const changed = catalogDir(
    { ...FILES, order: 'return { ok: true, v: 2 };' },
    { webrequests: [MANIFEST.webrequests[0], { ...MANIFEST.webrequests[1], status: 'disabled' }, { urlId: 'extra', name: 'Extra', scenario: 'hello' }] },
  );
  const outcome = await catalog(['apply', changed], storeUrl);
  expect(outcome.code).toBe(0);
  expect(items(outcome.stdout)).toEqual(['created webrequest extra', 'unchanged scenario hello', 'unchanged webrequest hello', 'updated scenario order', 'updated webrequest orders/new']);
  expect(outcome.stdout).toContain('1 created, 2 updated, 2 unchanged');
  const store = await openStore(storeUrl);
  try {
    const endpoint = await store.getWebRequestByUrlId('orders/new');
    expect(endpoint!.status).toBe('disabled');
    expect((await store.getScenario(endpoint!.scriptId))!.source).toBe('return { ok: true, v: 2 };');
  } finally {
    await store.close();
  }
});

it('refuses a folder with a scenario syntax error, naming the file, and writes nothing', async () => {
  const storeUrl = freshStore();
  const outcome = await catalog(['apply', catalogDir({ ...FILES, order: 'return {;' }, MANIFEST)], storeUrl);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('scenarios/order.js');
  const store = await openStore(storeUrl);
  try {
    expect((await store.listScenarios()).items).toEqual([]);
    expect((await store.listWebRequests()).items).toEqual([]);
  } finally {
    await store.close();
  }
});

it.each([
  ['a scenario the folder lacks', { webrequests: [{ urlId: 'x', name: 'X', scenario: 'missing' }] }, 'no scenarios/missing.js'],
  ['an invalid urlId', { webrequests: [{ urlId: 'bad id!', name: 'X', scenario: 'hello' }] }, 'urlId'],
  ['an invalid CORS origin', { webrequests: [{ urlId: 'x', name: 'X', scenario: 'hello', corsOrigins: ['shop.example/path'] }] }, 'corsOrigins'],
  ['a urlId listed twice', { webrequests: [MANIFEST.webrequests[0], MANIFEST.webrequests[0]] }, 'listed twice'],
])('refuses a manifest with %s, saying why, and exits 1', async (_what, manifest, reason) => {
  const outcome = await catalog(['apply', catalogDir(FILES, manifest)], freshStore());
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('webrequests.json');
  expect(outcome.stderr).toContain(reason);
});

it('prints its usage and exits 2 when not called as "apply <dir>"', async () => {
  for (const args of [[], ['apply'], ['remove', 'x'], ['apply', 'a', 'b']]) {
    const outcome = await catalog(args, freshStore());
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('usage: npm run catalog -- apply <dir>');
  }
});

it('runs from the root package as "npm run catalog -- apply <dir>", and hides a MongoDB password it prints', async () => {
  const outcome = await catalog(['apply', catalogDir(FILES, MANIFEST)], freshStore(), 'npm');
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toContain('4 created, 0 updated, 0 unchanged');
  expect(printableStoreUrl('mongodb://ops:s3cret@db.example:27017/wr')).toBe('mongodb://***@db.example:27017/wr');
});
