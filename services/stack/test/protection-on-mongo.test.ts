import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseSecretsKey, SecretBox } from '@webrequests/protection';
import { signWith } from '../../../libs/protection/test-support/senders';
import { startTestStack, type TestStack } from '../test-support/harness';
import { dropDatabase, dumpDatabase, freshDatabase, readDocument } from '../test-support/mongo-database';
import { dumpRedis } from '../test-support/redis-dump';
import { adminCall, errorCodeOf, eventually, processesOf } from '../test-support/stack-probes';

/**
 * End to end on the MongoDB store: endpoint protection (SPEC §10) and the processes an operator
 * starts (§5), which the other e2e files prove on SQLite only. One stack of two ingresses and two
 * workers over a database of its own: secrets sealed in MongoDB and never in plain text in any of its
 * collections, Redis or a log; auth refusals that leave no record; de-duplication across ingresses;
 * maxConcurrent and timeoutMs; replay and test runs, whose fields (`replayOf`, `test`) MongoDB keeps.
 */

const MONGO_URL = process.env.MONGO_URL;
const LIMIT = 1024;
const HOOK = 'mongo-hook';
/** Answers a hash of the secret it may read, never the value. */
const HASHER = `const v = secrets['${HOOK}']; return { hash: v === undefined ? null : crypto.createHash('sha256').update(v).digest('hex') };`;
/** Shows what passed the endpoint's auth and an item of the body. */
const SHOW_AUTH = 'return { auth: event.auth ?? null, item: body.item ?? null };';
/** Sleeps 300 ms, then answers a random number: two runs never answer alike. */
const SLOW_RANDOM = 'await sleep(300); return { n: Math.random() };';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
/** The forms a value could leak in: as it is, base64, base64url and hex. */
function formsOf(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
}

interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown> & { error?: { code: string; message: string; processId?: string } };
  replayed: string | null;
  retryAfter: string | null;
  ms: number;
}

if (!MONGO_URL) {
  describe('endpoint protection on MongoDB', () => {
    it.skip('is SKIPPED: MONGO_URL is not set, so secrets, auth, dedup, limits, replay and test runs were not run on the MongoDB store', () => undefined);
  });
} else {
  describe('endpoint protection on MongoDB', () => {
    const storeUrl = freshDatabase(MONGO_URL);
    let stack: TestStack;
    let redis: Redis;
    /** Every secret value put: none may be found in the database, Redis or a log. */
    const values: string[] = [];
    const hook = { first: `wr-secret-${randomBytes(18).toString('base64url')}`, second: `wr-secret-${randomBytes(18).toString('base64url')}` };

    beforeAll(async () => {
      stack = await startTestStack({ ingresses: 2, workers: 2, env: { STORE_URL: storeUrl, SYNC_TIMEOUT_MS: '3000', PROCESS_RESULT_LIMIT: String(LIMIT) } });
      redis = new Redis(process.env.TEST_REDIS_URL!);
    }, 60_000);
    afterAll(async () => {
      await redis?.quit();
      await stack?.stop();
      await dropDatabase(storeUrl);
    });

    async function putSecret(name: string, value: string): Promise<{ status: number; body: Record<string, string> }> {
      values.push(value);
      return adminCall<Record<string, string>>(stack, 'PUT', `/secrets/${name}`, { value });
    }

    async function send(urlId: string, { ingress = 0, query = '', headers = {}, body = '{}' }: { ingress?: number; query?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
      const started = Date.now();
      const response = await fetch(`${stack.ingresses[ingress % stack.ingresses.length]}/api/webrequest/${urlId}${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      const text = await response.text();
      return {
        status: response.status,
        text,
        json: text.startsWith('{') ? JSON.parse(text) : {},
        replayed: response.headers.get('idempotent-replayed'),
        retryAfter: response.headers.get('retry-after'),
        ms: Date.now() - started,
      };
    }

    describe('secrets', () => {
      let reader: { id: string };
      beforeAll(async () => {
        reader = await stack.endpoint('mongo/secrets/reader', HASHER, { secrets: [HOOK] });
      });

      it('creates a secret with 201 and lists names and times only', async () => {
        const created = await putSecret(HOOK, hook.first);
        expect(created.status).toBe(201);
        expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
        const { items } = await stack.admin<{ items: Array<Record<string, unknown>> }>('GET', '/secrets');
        expect(items.map((item) => item.name)).toEqual([HOOK]);
        expect(Object.keys(items[0]!).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
        expect(items[0]).toMatchObject({ createdAt: created.body.createdAt, updatedAt: created.body.updatedAt });
      });

      it('gives the value to the scenario of an endpoint listing it, and a replaced value (200) to the next runs within ~1 s', async () => {
        expect(await send('mongo/secrets/reader')).toMatchObject({ status: 200, json: { hash: sha256(hook.first) } });
        expect(await send('mongo/secrets/reader', { ingress: 1 })).toMatchObject({ status: 200, json: { hash: sha256(hook.first) } });
        const replacedAt = Date.now();
        const replaced = await putSecret(HOOK, hook.second);
        expect(replaced.status).toBe(200);
        expect(Date.parse(replaced.body.updatedAt!)).toBeGreaterThan(Date.parse(replaced.body.createdAt!));
        const seen = await eventually(async () => ((await send('mongo/secrets/reader')).json.hash === sha256(hook.second) ? Date.now() : undefined), 5000);
        expect(seen! - replacedAt).toBeLessThan(1500);
        // Whichever worker takes them, no later run sees the old value.
        const later = await Promise.all(Array.from({ length: 6 }, (_, i) => send('mongo/secrets/reader', { ingress: i })));
        expect(later.map((a) => a.json.hash)).toEqual(Array(6).fill(sha256(hook.second)));
      });

      it('keeps the value sealed in its MongoDB document, opening with SECRETS_KEY to the replaced value', async () => {
        const doc = await readDocument(storeUrl, 'secrets', HOOK);
        expect(doc).toMatchObject({ _id: HOOK, iv: expect.any(String), tag: expect.any(String), ciphertext: expect.any(String), createdAt: expect.any(Date) });
        const box = new SecretBox(parseSecretsKey(stack.env.SECRETS_KEY!));
        const sealed = { name: HOOK, keyId: String(doc!.keyId), iv: String(doc!.iv), tag: String(doc!.tag), ciphertext: String(doc!.ciphertext) };
        expect(box.open(sealed)).toBe(hook.second);
        expect(() => box.open({ ...sealed, name: 'another-name' })).toThrow();
      });

      it('refuses (409) to delete a secret an endpoint lists, and keeps it', async () => {
        const refused = await adminCall<{ error: { code: string; message: string } }>(stack, 'DELETE', `/secrets/${HOOK}`);
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toContain('mongo/secrets/reader');
        expect((await stack.admin<{ items: Array<{ name: string }> }>('GET', '/secrets')).items.map((s) => s.name)).toEqual([HOOK]);
        expect((await send('mongo/secrets/reader')).json.hash).toBe(sha256(hook.second));
      });
    });

    describe('auth', () => {
      const secrets = { github: randomBytes(24).toString('hex'), stripe: `whsec_${randomBytes(24).toString('hex')}`, bearer: randomBytes(24).toString('hex') };
      const endpoints = {} as Record<keyof typeof secrets, { id: string }>;
      const newBody = (): string => JSON.stringify({ item: `order-${randomUUID()}`, total: 42 });

      beforeAll(async () => {
        for (const name of ['github', 'stripe'] as const) {
          expect((await putSecret(`mongo-${name}`, secrets[name])).status).toBe(201);
          endpoints[name] = await stack.endpoint(`mongo/auth/${name}`, SHOW_AUTH, { auth: { type: 'hmac', preset: name, secret: `mongo-${name}` } });
        }
        expect((await putSecret('mongo-bearer', secrets.bearer)).status).toBe(201);
        endpoints.bearer = await stack.endpoint('mongo/auth/bearer', SHOW_AUTH, { auth: { type: 'bearer', secret: 'mongo-bearer' } });
      });

      /** Sends, and expects a 401 `unauthorized` that recorded no process. */
      async function expectRefused(which: keyof typeof secrets, body: string, headers: Record<string, string>): Promise<void> {
        const before = (await processesOf(stack, endpoints[which].id)).length;
        const answer = await send(`mongo/auth/${which}`, { body, headers });
        expect({ status: answer.status, code: errorCodeOf(answer.json) }).toEqual({ status: 401, code: 'unauthorized' });
        expect(await processesOf(stack, endpoints[which].id)).toHaveLength(before);
      }

      it('github: runs a delivery signed by @octokit/webhooks-methods; refuses it tampered or unsigned, recording neither', async () => {
        const stored = await stack.admin<Record<string, unknown>>('GET', `/webrequests/${endpoints.github.id}`);
        expect(stored.auth).toEqual({ type: 'hmac', preset: 'github', secret: 'mongo-github' });
        const body = newBody();
        const signed = signWith('github', { secret: secrets.github, body });
        const answer = await send('mongo/auth/github', { body, headers: signed });
        expect(answer).toMatchObject({ status: 200, json: { auth: { type: 'hmac', preset: 'github' }, item: JSON.parse(body).item } });
        await expectRefused('github', body.replace('"total":42', '"total":43'), signed);
        const { 'x-hub-signature-256': signature, ...unsigned } = signed;
        expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
        await expectRefused('github', body, unsigned);
        expect(await processesOf(stack, endpoints.github.id)).toHaveLength(1);
      });

      it('stripe: runs a delivery signed by stripe now, and refuses one signed 10 minutes ago', async () => {
        const body = newBody();
        const answer = await send('mongo/auth/stripe', { body, headers: signWith('stripe', { secret: secrets.stripe, body }) });
        expect(answer).toMatchObject({ status: 200, json: { auth: { type: 'hmac', preset: 'stripe' } } });
        await expectRefused('stripe', body, signWith('stripe', { secret: secrets.stripe, body, timestampSeconds: Math.floor(Date.now() / 1000) - 600 }));
        expect(await processesOf(stack, endpoints.stripe.id)).toHaveLength(1);
      });

      it('bearer: runs with the right token, refuses a wrong one, and records the headers without the token', async () => {
        const answer = await send('mongo/auth/bearer', { headers: { authorization: `Bearer ${secrets.bearer}`, 'x-trace': 'kept' } });
        expect(answer).toMatchObject({ status: 200, json: { auth: { type: 'bearer' } } });
        await expectRefused('bearer', '{}', { authorization: `Bearer ${randomBytes(24).toString('hex')}` });
        const [record] = await processesOf(stack, endpoints.bearer.id);
        const headers = (record!.input as { headers: Record<string, string> }).headers;
        expect(headers['x-trace']).toBe('kept');
        expect(headers).not.toHaveProperty('authorization');
        expect(JSON.stringify(record)).not.toContain(secrets.bearer);
      });
    });

    describe('de-duplication', () => {
      it('runs 20 simultaneous identical deliveries over both ingresses once, answering all 20 alike', async () => {
        const endpoint = await stack.endpoint('mongo/dedup', SLOW_RANDOM, { dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send('mongo/dedup', { ingress: i, headers: { 'X-Delivery': 'delivery-1' } })));
        expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
        expect(new Set(answers.map((a) => a.text)).size).toBe(1);
        expect(answers[0]!.json).toEqual({ n: expect.any(Number) });
        expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(19);
        expect(await processesOf(stack, endpoint.id)).toHaveLength(1);
      });

      it('runs the retry of a delivery whose first attempt failed, and answers the next duplicate as that retry', async () => {
        const flaky = await stack.endpoint('mongo/dedup/flaky', "if (query.fail) throw new Error('down'); return { n: Math.random() };", { dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
        const headers = { 'X-Delivery': 'delivery-flaky' };
        const failed = await send('mongo/dedup/flaky', { headers, query: '?fail=1' });
        expect([failed.status, errorCodeOf(failed.json)]).toEqual([500, 'scenario_failed']);
        const retry = await send('mongo/dedup/flaky', { headers, ingress: 1 });
        expect([retry.status, retry.replayed]).toEqual([200, null]);
        const duplicate = await send('mongo/dedup/flaky', { headers });
        expect([duplicate.status, duplicate.replayed, duplicate.text]).toEqual([200, 'true', retry.text]);
        const records = await processesOf(stack, flaky.id);
        expect(records.map((r) => r.status).sort()).toEqual(['completed', 'failed']);
      });
    });

    describe('limits', () => {
      it('maxConcurrent 1: admits one of two simultaneous requests, refuses the other with 429 too_busy and Retry-After, then admits again', async () => {
        const one = await stack.endpoint('mongo/limits/one', 'await sleep(1000); return { ok: true };', { maxConcurrent: 1 });
        const answers = await Promise.all([send('mongo/limits/one'), send('mongo/limits/one', { ingress: 1 })]);
        expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
        const refused = answers.find((a) => a.status === 429)!;
        expect(errorCodeOf(refused.json)).toBe('too_busy');
        expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(refused.ms).toBeLessThan(900);
        expect(await send('mongo/limits/one', { ingress: 1 })).toMatchObject({ status: 200, json: { ok: true } });
        expect(await processesOf(stack, one.id)).toHaveLength(2);
      });

      it('timeoutMs 500: answers 504 timeout at the endpoint’s deadline and aborts the process', async () => {
        const slow = await stack.endpoint('mongo/limits/timeout', 'await sleep(2000); return { late: true };', { timeoutMs: 500 });
        const answer = await send('mongo/limits/timeout');
        expect([answer.status, errorCodeOf(answer.json)]).toEqual([504, 'timeout']);
        expect(answer.ms).toBeGreaterThanOrEqual(450);
        expect(answer.ms).toBeLessThan(1500);
        const [record] = await processesOf(stack, slow.id);
        expect(await stack.waitForProcess(String(record!.id))).toMatchObject({ status: 'aborted', error: { code: 'timeout' } });
      });
    });

    describe('replay and test runs', () => {
      let echo: { id: string };
      beforeAll(async () => {
        echo = await stack.endpoint('mongo/echo', "return { $headers: { 'X-Sum': String(body.a + body.b) }, sum: body.a + body.b, method, body };");
      });

      it('replays a completed process (201) as a new async record naming it, which completes with the same output', async () => {
        expect((await send('mongo/echo', { body: '{"a":2,"b":3}' })).json).toMatchObject({ sum: 5 });
        const [original] = await processesOf(stack, echo.id);
        expect(original).toMatchObject({ status: 'completed', replayOf: null, test: false });
        const replay = await adminCall<Record<string, unknown>>(stack, 'POST', `/processes/${original!.id}/replay`);
        expect(replay.status).toBe(201);
        expect(replay.body).toMatchObject({ replayOf: original!.id, async: true, webrequestId: echo.id, input: original!.input });
        expect(replay.body.id).not.toBe(original!.id);
        const finished = await stack.waitForProcess(String(replay.body.id));
        expect(finished).toMatchObject({ status: 'completed', replayOf: original!.id, output: original!.output });
        expect(original!.output).toMatchObject({ $headers: { 'X-Sum': '5' }, sum: 5 });
        // A replay is an ordinary process: listed without asking for tests.
        expect((await processesOf(stack, echo.id)).map((r) => r.id).sort()).toEqual([original!.id, replay.body.id].sort());
      });

      it(`answers 409 for a process whose input was over PROCESS_RESULT_LIMIT (${LIMIT}), and starts nothing`, async () => {
        const big = await fetch(`${stack.ingresses[0]}/api/webrequest/mongo/echo?async=true`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'z'.repeat(2 * LIMIT) });
        const record = await stack.waitForProcess(big.headers.get('x-process-id')!);
        expect(record.input).toMatchObject({ truncated: true });
        const before = (await processesOf(stack, echo.id)).length;
        const answer = await adminCall(stack, 'POST', `/processes/${record.id}/replay`);
        expect([answer.status, errorCodeOf(answer.body)]).toEqual([409, 'conflict']);
        expect(await processesOf(stack, echo.id)).toHaveLength(before);
      });

      it('test-runs a draft source: answers status and body with a record marked test, listed only with test=true', async () => {
        const answer = await adminCall<{ status: number; body: string; process: Record<string, unknown> }>(stack, 'POST', `/webrequests/${echo.id}/test`, {
          source: 'return { $status: 202, draft: true, a: body.a };',
          body: { a: 7 },
        });
        expect(answer.status).toBe(200);
        expect(answer.body.status).toBe(202);
        expect(JSON.parse(answer.body.body)).toEqual({ draft: true, a: 7 });
        expect(answer.body.process).toMatchObject({ test: true, status: 'completed', webrequestId: echo.id });
        const id = answer.body.process.id;
        const ordinary = (await processesOf(stack, echo.id)).map((r) => r.id);
        expect(ordinary.length).toBeGreaterThanOrEqual(2);
        expect(ordinary).not.toContain(id);
        const tests = await processesOf(stack, echo.id, '&test=true');
        expect(tests.map((r) => [r.id, r.test])).toEqual([[id, true]]);
      });
    });

    describe('where a secret value must never be', () => {
      it('is in no document of any collection, no Redis key under the prefix and no log file, in any form', async () => {
        const database = await dumpDatabase(storeUrl);
        // The search sees the records and the sealed secrets: the scenario's answers and the ciphertexts.
        expect(database.filter((c) => c.documents > 0).map((c) => c.collection).sort()).toEqual(['processes', 'scenarios', 'secrets', 'webrequests']);
        expect(database.find((c) => c.collection === 'processes')!.text).toContain(sha256(hook.second));
        expect(database.find((c) => c.collection === 'secrets')!.documents).toBe(4);
        const keys = await dumpRedis(redis, stack.env.QUEUE_PREFIX!);
        expect(keys.some((key) => key.type === 'hash' && key.text.includes('"processId"'))).toBe(true);
        const logs = readdirSync(join(stack.dir, 'logs')).map((file) => ({ where: `log ${file}`, text: readFileSync(join(stack.dir, 'logs', file), 'utf8') }));
        expect(logs.length).toBe(4);
        const places = [
          ...database.map((c) => ({ where: `mongo ${c.collection}`, text: c.text })),
          ...keys.map((key) => ({ where: `redis ${key.type} ${key.key}`, text: key.text })),
          ...logs,
        ];
        expect(values).toHaveLength(5);
        const needles = [...values.flatMap(formsOf), stack.env.SECRETS_KEY!];
        expect(places.flatMap((place) => needles.filter((needle) => place.text.includes(needle)).map((needle) => `${place.where}: ${needle}`))).toEqual([]);
      });
    });
  });
}
