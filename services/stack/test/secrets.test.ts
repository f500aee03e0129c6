import Database from 'better-sqlite3';
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { startTestStack, type TestStack } from '../test-support/harness';
import { dumpRedis } from '../test-support/redis-dump';
import { linesOf, runServiceToExit } from '../test-support/service-run';
import { adminCall, eventually, logLines, processesOf } from '../test-support/stack-probes';

/**
 * End to end: the secrets catalog (SPEC §5, §10). A value goes in through the admin API and reaches
 * only the scenarios of endpoints that list it, a replaced value within a moment (the control message,
 * not the cache's minute); it is never in an answer, a log, a record, a job, a Redis key or message,
 * the dashboard, nor in plain text in the store, which holds it sealed under SECRETS_KEY. And the
 * services refuse to start on a store with secrets they cannot open.
 */

const HOOK = 'hook-key';
const TOKEN = 'bearer-token';
/** The scenario answers what it may show: a hash of the value, and the names it sees. */
const READER = `
  const value = secrets['${HOOK}'];
  console.log('names', Object.keys(secrets));
  if (query.fail) throw new Error('failing on purpose; names: ' + Object.keys(secrets).join(','));
  return { hash: value === undefined ? null : crypto.createHash('sha256').update(value).digest('hex'), names: Object.keys(secrets) };`;

function distinctive(): string {
  return `wr-secret-${randomBytes(18).toString('base64url')}`;
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
/** The forms a value could leak in: as it is, base64, base64url and hex. */
function formsOf(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
}

let stack: TestStack;
let redis: Redis;
/** Subscribed to every channel under the stack's prefix. */
let listener: Redis;
/** Every message published under the stack's prefix while the file runs (results, control). */
const published: string[] = [];
const values: { hook: string; token: string; old?: string } = { hook: distinctive(), token: distinctive() };
let firstPut: { status: number; body: unknown };
let reader: { url: string; id: string };
let blind: { url: string; id: string };
let guarded: { url: string; id: string };

beforeAll(async () => {
  stack = await startTestStack({ ingresses: 2, workers: 1 });
  redis = new Redis(process.env.TEST_REDIS_URL!);
  listener = new Redis(process.env.TEST_REDIS_URL!);
  await listener.psubscribe(`${stack.env.QUEUE_PREFIX}*`);
  listener.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => published.push(message.toString('latin1')));
  firstPut = await adminCall(stack, 'PUT', `/secrets/${HOOK}`, { value: values.hook });
  expect((await adminCall(stack, 'PUT', `/secrets/${TOKEN}`, { value: values.token })).status).toBe(201);
  reader = await stack.endpoint('secrets/reader', READER, { secrets: [HOOK] });
  blind = await stack.endpoint('secrets/blind', READER);
  guarded = await stack.endpoint('secrets/guarded', READER, { auth: { type: 'bearer', secret: TOKEN }, secrets: [HOOK] });
});
afterAll(async () => {
  await Promise.allSettled([listener?.quit(), redis?.quit()]);
  await stack?.stop();
});

async function run(url: string, init?: RequestInit): Promise<{ status: number; body: { hash: string | null; names: string[] } }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as { hash: string | null; names: string[] } };
}

describe('setting and reading a secret', () => {
  it('creates a secret with 201 and answers its name and times, never its value', async () => {
    expect(firstPut.status).toBe(201);
    expect(Object.keys(firstPut.body as object).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
    expect(firstPut.body).toMatchObject({ name: HOOK });
    const list = await stack.admin<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>('GET', '/secrets');
    expect(list.items.map((item) => item.name)).toEqual(expect.arrayContaining([HOOK, TOKEN]));
    for (const item of list.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
  });

  it('gives its value to the scenario of an endpoint that lists it, and nothing to one that does not', async () => {
    expect(await run(reader.url)).toEqual({ status: 200, body: { hash: sha256(values.hook), names: [HOOK] } });
    expect(await run(blind.url)).toEqual({ status: 200, body: { hash: null, names: [] } });
  });

  it('answers a replaced value (200) to the very next runs within moments, not after the cache’s minute', async () => {
    expect((await run(reader.url)).body.hash).toBe(sha256(values.hook)); // Held in the worker's cache now.
    const old = values.hook;
    values.hook = distinctive();
    const replacedAt = Date.now();
    const replaced = await adminCall<Record<string, string>>(stack, 'PUT', `/secrets/${HOOK}`, { value: values.hook });
    expect(replaced.status).toBe(200);
    expect(Object.keys(replaced.body).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
    expect(Date.parse(replaced.body.updatedAt!)).toBeGreaterThan(Date.parse(replaced.body.createdAt!));
    const seen = await eventually(async () => ((await run(reader.url)).body.hash === sha256(values.hook) ? Date.now() : undefined), 10_000);
    expect(seen).toBeDefined();
    expect(seen! - replacedAt).toBeLessThan(3000);
    // And it stays the new one: no stale read of the old value is kept.
    for (let i = 0; i < 3; i++) expect((await run(reader.url)).body.hash).not.toBe(sha256(old));
    values.old = old;
  });
});

describe('rotation, missing secrets and other runs', () => {
  it('checks auth with a replaced value on every ingress within moments: the old one is refused, the new one admitted', async () => {
    await stack.admin('PUT', '/secrets/rotated', { value: 'first-value-of-rotated' });
    const rotated = await stack.endpoint('secrets/rotated', 'return { ok: true };', { auth: { type: 'header', header: 'X-Key', secret: 'rotated' } });
    const statusWith = async (key: string, ingress: number): Promise<number> =>
      (await fetch(`${stack.ingresses[ingress]}/api/webrequest/secrets/rotated`, { headers: { 'x-key': key } })).status;
    // Both ingresses hold the first value in their caches now.
    expect([await statusWith('first-value-of-rotated', 0), await statusWith('first-value-of-rotated', 1)]).toEqual([200, 200]);
    const replacedAt = Date.now();
    await stack.admin('PUT', '/secrets/rotated', { value: 'second-value-of-rotated' });
    // Ingress 1 did not handle the PUT: it hears of it over the control channel.
    const seen = await eventually(async () => ((await statusWith('second-value-of-rotated', 1)) === 200 ? Date.now() : undefined), 10_000);
    expect(seen).toBeDefined();
    expect(seen! - replacedAt).toBeLessThan(3000);
    expect([await statusWith('first-value-of-rotated', 0), await statusWith('first-value-of-rotated', 1)]).toEqual([401, 401]);
    expect(await processesOf(stack, rotated.id)).toHaveLength(3);
  });

  it('runs a scenario whose endpoint lists a secret that is not set, which reads it as undefined', async () => {
    const missing = await stack.endpoint('secrets/missing', "return { has: 'never-set' in secrets, value: secrets['never-set'] ?? null, names: Object.keys(secrets) };", { secrets: ['never-set', HOOK] });
    expect(await (await fetch(missing.url)).json()).toEqual({ has: false, value: null, names: [HOOK] });
    const line = await eventually(() => logLines(stack, 'worker').find((entry) => entry.message === 'secrets the endpoint lists are not set'));
    expect(line).toMatchObject({ missing: ['never-set'] });
  });

  it('leaves no value behind for a later run of an endpoint that does not list it, whatever the first run stashed', async () => {
    const stasher = await stack.endpoint(
      'secrets/stasher',
      `const v = secrets['${HOOK}']; globalThis.stash = v; Object.prototype.stash = v; Buffer.stash = v; JSON.stash = v; Array.prototype.push.stash = v; return {};`,
      { secrets: [HOOK] },
    );
    const thief = await stack.endpoint('secrets/thief', 'return { found: [globalThis.stash, ({}).stash, Buffer.stash, JSON.stash, [].push.stash, secrets.stash].filter((x) => x !== undefined).length, names: Object.keys(secrets) };');
    for (let i = 0; i < 8; i++) {
      expect((await fetch(stasher.url)).status).toBe(200);
      expect(await (await fetch(thief.url)).json()).toEqual({ found: 0, names: [] });
    }
    expect(stasher.id).not.toBe(thief.id);
  });
});

describe('a sealed value altered in the store', () => {
  /** Rewrites the stored record of `name` (never read yet, so no service holds its value). */
  function alter(name: string, change: (row: Record<string, string>) => Record<string, string>): void {
    const db = new Database(stack.env.STORE_URL!.replace(/^sqlite:/, ''));
    try {
      db.pragma('busy_timeout = 5000');
      const row = db.prepare('SELECT iv, tag, ciphertext FROM secrets WHERE name = ?').get(name) as Record<string, string>;
      db.prepare('UPDATE secrets SET iv = @iv, tag = @tag, ciphertext = @ciphertext WHERE name = @name').run({ ...change(row), name });
    } finally {
      db.close();
    }
  }
  const flipFirstByte = (base64: string): string => {
    const bytes = Buffer.from(base64, 'base64');
    bytes[0] = bytes[0]! ^ 0xff;
    return bytes.toString('base64');
  };

  it.each([
    ['a flipped ciphertext byte', (row: Record<string, string>) => ({ ...row, ciphertext: flipFirstByte(row.ciphertext!) })],
    ['its tag cut to 4 bytes', (row: Record<string, string>) => ({ ...row, tag: Buffer.from(row.tag!, 'base64').subarray(0, 4).toString('base64') })],
  ])('does not open (%s): the run fails with internal_error before the scenario runs', async (what, change) => {
    const name = `altered-${what.replace(/\W+/g, '-')}`;
    await stack.admin('PUT', `/secrets/${name}`, { value: distinctive() });
    const endpoint = await stack.endpoint(`secrets/${name}`, `console.log('ran'); return { got: secrets['${name}'] !== undefined };`, { secrets: [name] });
    alter(name, change);
    const answer = await fetch(endpoint.url);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ error: { code: 'internal_error' } });
    const [record] = await processesOf(stack, endpoint.id);
    expect(await stack.waitForProcess(String(record!.id))).toMatchObject({ status: 'failed', logs: [] });
    await stack.admin('DELETE', `/webrequests/${endpoint.id}`);
    await stack.admin('DELETE', `/secrets/${name}`);
  });
});

describe('the catalog’s validation and conflicts', () => {
  it.each([
    ['a name with a space', '/secrets/has%20space', { value: 'x' }, 'name'],
    ['a name starting with a dot', '/secrets/.hidden', { value: 'x' }, 'name'],
    ['a name of 101 characters', `/secrets/${'n'.repeat(101)}`, { value: 'x' }, 'name'],
    ['no value', '/secrets/fine-name', {}, 'value'],
    ['an empty value', '/secrets/fine-name', { value: '' }, 'value'],
    ['a value that is not a string', '/secrets/fine-name', { value: 42 }, 'value'],
    ['an unknown field', '/secrets/fine-name', { value: 'x', extra: 1 }, 'extra'],
  ])('answers 400 naming the field for %s', async (_what, path, body, field) => {
    const answer = await adminCall<{ error: { code: string; field?: string } }>(stack, 'PUT', path, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.field).toBe(field);
    expect((await stack.admin<{ items: Array<{ name: string }> }>('GET', '/secrets')).items.map((s) => s.name)).not.toContain('fine-name');
  });

  it('refuses (409) to delete a secret an endpoint names, in secrets or in auth, and deletes it (204) once none does', async () => {
    for (const name of ['doomed-a', 'doomed-b']) expect((await adminCall(stack, 'PUT', `/secrets/${name}`, { value: distinctive() })).status).toBe(201);
    const user = await stack.endpoint('secrets/doomed', 'return {};', { secrets: ['doomed-a'], auth: { type: 'header', header: 'X-Key', secret: 'doomed-b' } });
    for (const name of ['doomed-a', 'doomed-b']) {
      const refused = await adminCall<{ error: { code: string; message: string } }>(stack, 'DELETE', `/secrets/${name}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('secrets/doomed');
    }
    await stack.admin('PATCH', `/webrequests/${user.id}`, { secrets: null, auth: null });
    for (const name of ['doomed-a', 'doomed-b']) {
      expect((await adminCall(stack, 'DELETE', `/secrets/${name}`)).status).toBe(204);
      expect((await adminCall(stack, 'DELETE', `/secrets/${name}`)).status).toBe(404);
    }
    expect((await stack.admin<{ items: Array<{ name: string }> }>('GET', '/secrets')).items.map((s) => s.name).sort()).toEqual([TOKEN, HOOK, 'rotated']);
  });
});

describe('where a value must never be', () => {
  /** Places searched, each with its text. */
  const places: Array<{ where: string; text: string }> = [];
  let careless: { url: string; id: string };

  beforeAll(async () => {
    // Runs of every kind: sync, async, failing (which logs the names it sees), authenticated with the
    // other secret as its bearer token, a test run, a replay, and a careless scenario whose error
    // message and logs would carry the value; every answer a caller got is searched too.
    const answered = async (what: string, response: Response | Promise<Response>): Promise<Response> => {
      const got = await response;
      places.push({ where: `answer to ${what}`, text: `${JSON.stringify([...got.headers])}\n${await got.clone().text()}` });
      return got;
    };
    expect((await answered('sync', fetch(reader.url))).status).toBe(200);
    const accepted = await answered('async', fetch(`${reader.url}?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }));
    await stack.waitForProcess(accepted.headers.get('x-process-id')!);
    expect((await answered('failing', fetch(`${reader.url}?fail=1`))).status).toBe(500);
    const authorized = await answered('authorized', fetch(guarded.url, { headers: { authorization: `Bearer ${values.token}` } }));
    expect(((await authorized.json()) as { hash: string }).hash).toBe(sha256(values.hook));
    expect((await answered('unauthorized', fetch(guarded.url, { headers: { authorization: 'Bearer wrong' } }))).status).toBe(401);
    careless = await stack.endpoint('secrets/careless', `console.warn('connecting with', secrets['${HOOK}']); return { n: BigInt(secrets['${HOOK}']) };`, { secrets: [HOOK] });
    expect((await answered('careless', fetch(careless.url))).status).toBe(500);
    const carelessAsync = await answered('careless async', fetch(`${careless.url}?async=1`));
    await stack.waitForProcess(carelessAsync.headers.get('x-process-id')!);
    const tested = await adminCall<{ body: string }>(stack, 'POST', `/webrequests/${guarded.id}/test`, { query: { a: '1' } });
    places.push({ where: 'answer to a test run', text: tested.text });
    expect(JSON.parse(tested.body.body)).toEqual({ hash: sha256(values.hook), names: [HOOK] });
    places.push({ where: 'answer to a careless test run', text: (await adminCall(stack, 'POST', `/webrequests/${careless.id}/test`, {})).text });
    const replay = await stack.admin<{ id: string }>('POST', `/processes/${accepted.headers.get('x-process-id')}/replay`);
    await stack.waitForProcess(replay.id);

    const api = async (path: string, base?: string, authorization?: string): Promise<void> => {
      const response = await fetch(`${base ?? `${stack.ingresses[0]}/api/admin`}${path}`, { headers: { authorization: authorization ?? `Bearer ${stack.token}` } });
      expect(response.status).toBe(200);
      places.push({ where: `GET ${path}`, text: await response.text() });
    };
    await api('/secrets');
    await api('/scenarios');
    await api('/webrequests');
    const records: string[] = [];
    for (const endpoint of [reader, blind, guarded, careless]) {
      await api(`/webrequests/${endpoint.id}`);
      for (const query of ['', '&test=true']) {
        await api(`/processes?webrequestId=${endpoint.id}${query}`);
        records.push(...(await processesOf(stack, endpoint.id, query)).map((record) => String(record.id)));
      }
    }
    expect(records.length).toBeGreaterThanOrEqual(8);
    for (const id of records) await api(`/processes/${id}`);
    // The dashboard's JSON API (bull-board), as its page reads it: the lists and each job with its logs.
    const dashboard = `${stack.ingresses[0]}/admin/queues`;
    const basic = `Basic ${Buffer.from(`anyone:${stack.token}`).toString('base64')}`;
    for (const status of ['latest', 'completed', 'failed']) await api(`/api/queues?activeQueue=webrequests&status=${status}&page=1&jobsPerPage=100`, dashboard, basic);
    for (const id of records) {
      await api(`/api/queues/webrequests/${id}`, dashboard, basic);
      await api(`/api/queues/webrequests/${id}/logs`, dashboard, basic);
    }
    for (const url of stack.metrics) places.push({ where: url, text: await (await fetch(url)).text() });
    // Raw Redis: every key under the prefix, every type (BullMQ jobs are hashes holding the job data).
    const keys = await dumpRedis(redis, stack.env.QUEUE_PREFIX!);
    expect(keys.some((key) => key.type === 'hash' && key.text.includes('"processId"'))).toBe(true);
    for (const key of keys) places.push({ where: `redis ${key.type} ${key.key}`, text: key.text });
    expect(published.length).toBeGreaterThan(0);
    published.forEach((message, i) => places.push({ where: `redis message ${i}`, text: message }));
    // Every log file, and the store's files (the database, its WAL and shared memory) byte by byte.
    for (const file of readdirSync(join(stack.dir, 'logs'))) places.push({ where: `log ${file}`, text: readFileSync(join(stack.dir, 'logs', file), 'utf8') });
    const db = stack.env.STORE_URL!.replace(/^sqlite:/, '');
    for (const file of readdirSync(dirname(db)).filter((name) => name.startsWith(basename(db)))) {
      places.push({ where: `store file ${file}`, text: readFileSync(join(dirname(db), file)).toString('latin1') });
    }
  }, 40_000);

  it('searched every kind of place, with the values in them', () => {
    const where = places.map((place) => place.where);
    for (const kind of [/^answer to sync$/, /^GET \/secrets$/, /^GET \/processes\//, /^GET \/api\/queues\/webrequests\//, /^redis hash /, /^redis message/, /^log ingress-0/, /^log ingress-1/, /^log worker-1/, /^store file store\.db$/]) {
      expect(where.some((w) => kind.test(w))).toBe(true);
    }
    // The scenario saw the values: its answers carry their hashes, which the search may find.
    expect(places.some((place) => place.text.includes(sha256(values.hook)))).toBe(true);
  });

  it('finds no value of any secret, nor SECRETS_KEY, as text, base64 or hex, anywhere', () => {
    const needles = [values.hook, values.old!, values.token, 'first-value-of-rotated', 'second-value-of-rotated'].flatMap(formsOf);
    needles.push(stack.env.SECRETS_KEY!, Buffer.from(stack.env.SECRETS_KEY!, 'base64').toString('hex'));
    const found = places.flatMap((place) => needles.filter((needle) => place.text.includes(needle)).map((needle) => `${place.where}: ${needle}`));
    expect(found).toEqual([]);
  });

  it('masks a value a scenario’s error or logs quote, in the record and in the caller’s answer', async () => {
    const [record] = await processesOf(stack, careless.id);
    expect(record).toMatchObject({
      status: 'failed',
      error: { code: 'scenario_failed', message: expect.stringContaining('Cannot convert *** to a BigInt') },
      logs: [expect.objectContaining({ level: 'warn', message: 'connecting with ***' })],
    });
    const answer = places.find((place) => place.where === 'answer to careless')!.text;
    expect(answer).toContain('Cannot convert *** to a BigInt');
  });

  it('keeps the value sealed in the store (AES-256-GCM, its name as associated data), opening only with SECRETS_KEY', () => {
    const file = stack.env.STORE_URL!.replace(/^sqlite:/, '');
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    let row: Record<string, string>;
    try {
      row = db.prepare('SELECT * FROM secrets WHERE name = ?').get(HOOK) as Record<string, string>;
    } finally {
      db.close();
    }
    expect(row).toMatchObject({ name: HOOK, iv: expect.any(String), tag: expect.any(String), ciphertext: expect.any(String) });
    expect(JSON.stringify(row)).not.toContain(values.hook);
    const open = (key: Buffer, name: string): string => {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(row.iv!, 'base64'));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(Buffer.from(row.tag!, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(row.ciphertext!, 'base64')), decipher.final()]).toString('utf8');
    };
    expect(Buffer.from(row.iv!, 'base64')).toHaveLength(12);
    expect(open(Buffer.from(stack.env.SECRETS_KEY!, 'base64'), HOOK)).toBe(values.hook);
    expect(() => open(randomBytes(32), HOOK)).toThrow();
    expect(() => open(Buffer.from(stack.env.SECRETS_KEY!, 'base64'), TOKEN)).toThrow();
  });
});

describe('starting on a store that holds secrets', () => {
  const env = (secretsKey: string | undefined): NodeJS.ProcessEnv => {
    const { SECRETS_KEY: _key, ...rest } = stack.env;
    return { ...rest, ...(secretsKey ? { SECRETS_KEY: secretsKey } : {}), INSTANCE_ID: 'refused' };
  };

  it.each(['ingress', 'worker'] as const)('%s: refuses without SECRETS_KEY, in one line naming it, exit 1', async (service) => {
    const outcome = await runServiceToExit(service, env(undefined));
    expect(outcome.code).toBe(1);
    expect(linesOf(outcome.stderr)).toEqual([expect.stringContaining('SECRETS_KEY is not set')]);
  });

  it.each(['ingress', 'worker'] as const)('%s: refuses with another key, in one line naming SECRETS_KEY_OLD, exit 1', async (service) => {
    const outcome = await runServiceToExit(service, env(randomBytes(32).toString('base64')));
    expect(outcome.code).toBe(1);
    const lines = linesOf(outcome.stderr);
    expect(lines).toEqual([expect.stringContaining('SECRETS_KEY_OLD')]);
    expect(lines[0]).toContain(HOOK);
  });
});
