import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SecretBox, parseSecretsKey } from '@webrequests/protection';
import { openStore } from '@webrequests/store';
import { printableStoreUrl } from '../src/catalog-cli';
import { catalogProcess, type CatalogOutcome } from '../test-support/catalog-process';

/**
 * The catalog command (`npm run catalog -- apply <dir>`, SPEC §5 "catalogs as files"), run as a real
 * process against a SQLite store named by STORE_URL.
 */

function catalog(args: string[], storeUrl: string, via: 'node' | 'npm' = 'node'): Promise<CatalogOutcome> {
  return catalogProcess(args, { env: { STORE_URL: storeUrl }, via });
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

describe('secret commands', () => {
  const KEY_A = randomBytes(32).toString('base64');
  const KEY_B = randomBytes(32).toString('hex');

  /** The command in an empty folder (no ./data/secrets-key), with `env` and `stdin`. */
  function secretCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CatalogOutcome> {
    return catalogProcess(args, { env, stdin, cwd: mkdtempSync(join(tmpdir(), 'wr-secret-cli-')) });
  }

  async function sealed(storeUrl: string) {
    const store = await openStore(storeUrl);
    try {
      return await store.getSealedSecrets();
    } finally {
      await store.close();
    }
  }

  it('sets a secret from stdin or from an environment variable, lists names only, and keeps only ciphertext', async () => {
    const storeUrl = freshStore();
    const value = `v-${randomBytes(12).toString('hex')}`;
    const set = await secretCli(['secret', 'set', 'partner-key'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A }, `${value}\n`);
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toContain('created secret partner-key');
    const again = await secretCli(['secret', 'set', 'other', '--from-env', 'OTHER_VALUE'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A, OTHER_VALUE: 'o-value' });
    expect(again.code).toBe(0);
    const list = await secretCli(['secret', 'list'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A });
    expect(list.stdout.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[0])).toEqual(['other', 'partner-key']);
    for (const output of [set, again, list]) expect(output.stdout + output.stderr).not.toContain(value);
    const records = await sealed(storeUrl);
    // One trailing newline (what `echo` adds) is not part of the value; the record opens to it with the key alone.
    const box = new SecretBox(parseSecretsKey(KEY_A));
    expect(box.open(records.find((r) => r.name === 'partner-key')!)).toBe(value);
    expect(JSON.stringify(records)).not.toContain(value);
    const file = storeUrl.slice('sqlite:'.length);
    for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) expect(readFileSync(file + suffix).includes(value)).toBe(false);
  });

  it('re-seals every secret under a new key, reading the old ones with SECRETS_KEY_OLD, after which the old key is not needed', async () => {
    const storeUrl = freshStore();
    expect((await secretCli(['secret', 'set', 'a'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A }, 'value-a')).code).toBe(0);
    expect((await secretCli(['secret', 'set', 'b'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A }, 'value-b')).code).toBe(0);
    // The new key alone cannot open the old values: the command refuses, naming what to set.
    const refused = await secretCli(['secret', 'set', 'c'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_B }, 'value-c');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('SECRETS_KEY_OLD');
    const resealed = await secretCli(['secrets', 'reseal'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_B, SECRETS_KEY_OLD: KEY_A });
    expect(resealed.code).toBe(0);
    expect(resealed.stdout).toContain('2 secret(s) sealed again');
    const box = new SecretBox(parseSecretsKey(KEY_B));
    expect((await sealed(storeUrl)).map((r) => [r.name, box.open(r)]).sort()).toEqual([['a', 'value-a'], ['b', 'value-b']]);
    expect((await secretCli(['secret', 'set', 'c'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_B }, 'value-c')).code).toBe(0);
  });

  it('refuses a bad name, an empty value and a missing key in one line each, and deletes a secret', async () => {
    const storeUrl = freshStore();
    const cases: Array<[string[], Record<string, string>, string | undefined, string]> = [
      [['secret', 'set', 'bad name!'], { SECRETS_KEY: KEY_A }, 'x', 'secret name'],
      [['secret', 'set', 'empty'], { SECRETS_KEY: KEY_A }, '', 'empty'],
      [['secret', 'set', 'nokey'], {}, 'x', 'SECRETS_KEY'],
      [['secret', 'set', 'envless', '--from-env', 'NOT_SET_ANYWHERE'], { SECRETS_KEY: KEY_A }, undefined, 'NOT_SET_ANYWHERE'],
      [['secret', 'delete', 'never-set'], { SECRETS_KEY: KEY_A }, undefined, 'no secret'],
    ];
    for (const [args, env, stdin, reason] of cases) {
      const outcome = await secretCli(args, { STORE_URL: storeUrl, ...env }, stdin);
      expect({ args, code: outcome.code }).toEqual({ args, code: 1 });
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toContain(reason);
    }
    expect((await secretCli(['secret', 'set', 'gone'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A }, 'x')).code).toBe(0);
    expect((await secretCli(['secret', 'delete', 'gone'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A })).code).toBe(0);
    expect(await sealed(storeUrl)).toEqual([]);
  });

  it('applies a manifest that names its secrets, reporting each as set or missing, and refuses one naming an unlisted secret', async () => {
    const storeUrl = freshStore();
    const manifest = {
      secrets: [{ name: 'hook-secret' }],
      webrequests: [{ urlId: 'hooks/x', name: 'X', scenario: 'hello', auth: { type: 'hmac', preset: 'github', secret: 'hook-secret' }, dedup: { windowSeconds: 60 } }],
    };
    const first = await catalog(['apply', catalogDir(FILES, manifest)], storeUrl);
    expect(first.code).toBe(0);
    expect(items(first.stdout)).toContain('missing secret hook-secret (set it: npm run catalog -- secret set hook-secret)');
    expect((await secretCli(['secret', 'set', 'hook-secret'], { STORE_URL: storeUrl, SECRETS_KEY: KEY_A }, 'x')).code).toBe(0);
    const second = await catalog(['apply', catalogDir(FILES, manifest)], storeUrl);
    expect(items(second.stdout)).toEqual(expect.arrayContaining(['set secret hook-secret', 'unchanged webrequest hooks/x']));
    // Removing `auth` from the entry removes it from the endpoint.
    const { auth: _auth, dedup: _dedup, ...open } = manifest.webrequests[0]!;
    expect(items((await catalog(['apply', catalogDir(FILES, { ...manifest, webrequests: [open] })], storeUrl)).stdout)).toContain('updated webrequest hooks/x');
    const store = await openStore(storeUrl);
    try {
      const endpoint = await store.getWebRequestByUrlId('hooks/x');
      expect(endpoint).not.toHaveProperty('auth');
      expect(endpoint).not.toHaveProperty('dedup');
    } finally {
      await store.close();
    }
    const unlisted = await catalog(['apply', catalogDir(FILES, { webrequests: manifest.webrequests })], freshStore());
    expect(unlisted.code).toBe(1);
    expect(unlisted.stderr).toContain('secret "hook-secret" is not listed');
  });
});

describe('telling running services of a change (REDIS_URL set)', () => {
  it('publishes catalog-changed after an apply that changed something, and secrets-changed after a secret set, on the control channel', async () => {
    const prefix = `{cli${randomBytes(4).toString('hex')}}`;
    const listener = new Redis(process.env.TEST_REDIS_URL!);
    const heard: unknown[] = [];
    listener.on('message', (_channel: string, text: string) => heard.push(JSON.parse(text)));
    await listener.subscribe(`${prefix}:control`);
    try {
      const storeUrl = freshStore();
      const env = { STORE_URL: storeUrl, REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: prefix, SECRETS_KEY: randomBytes(32).toString('base64') };
      const dir = catalogDir(FILES, MANIFEST);
      const applied = await catalogProcess(['apply', dir], { env });
      expect(applied).toMatchObject({ code: 0 });
      expect(applied.stdout).toContain('running services were told');
      // Nothing changed the second time: nobody is bothered.
      const again = await catalogProcess(['apply', dir], { env });
      expect(again.stdout).not.toContain('running services');
      const set = await catalogProcess(['secret', 'set', 'partner-key', '--from-env', 'V'], { env: { ...env, V: 'value' } });
      expect(set.stdout).toContain('created secret partner-key; running services were told');
      const until = Date.now() + 2000;
      while (heard.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toEqual([{ kind: 'catalog-changed' }, { kind: 'secrets-changed', name: 'partner-key' }]);
    } finally {
      listener.disconnect();
    }
  });
});
