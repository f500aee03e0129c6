import { ConflictError, ValidationError, type EndpointProtection, type Scenario } from '@webrequests/contracts';
import { newId } from '@webrequests/store';
import {
  expectIsoBetween,
  scenarioInput,
  sleep,
  UUID_PATTERN,
  webRequestInput,
  type StoreGetter,
} from './contract-fixtures';

/** Expects `work` to reject with a `ValidationError` naming `field`. */
async function expectValidationError(work: Promise<unknown>, field: string): Promise<void> {
  const error: unknown = await work.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
}

/** Every protection field set, `auth` in its widest variant. */
const PROTECTION: Required<EndpointProtection> = {
  secrets: ['SHOP_TOKEN', 'webhook.key'],
  auth: {
    type: 'hmac',
    preset: 'custom',
    secret: 'webhook.key',
    header: 'X-Signature',
    algorithm: 'sha512',
    encoding: 'base64',
    prefix: 'sha512=',
  },
  allowIps: ['192.0.2.0/24', '2001:db8::/32'],
  dedup: { key: 'body:event.id', windowSeconds: 3600 },
  timeoutMs: 12_500,
  maxConcurrent: 3,
};

const PROTECTION_FIELDS = Object.keys(PROTECTION) as (keyof EndpointProtection)[];

/** Contract of the protection fields: kept exactly as given, absent when not set, cleared by null. */
function protectionContract(store: StoreGetter, scenario: () => Scenario): void {
  describe('protection', () => {
    it('keeps every protection field exactly as given, in each read and the listing', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario().id, PROTECTION));
      expect(created).toMatchObject(PROTECTION);
      for (const read of [
        await store().getWebRequest(created.id),
        await store().getWebRequestByUrlId(created.urlId),
        (await store().listWebRequests()).items[0],
      ]) {
        expect(read).toEqual(created);
        for (const field of PROTECTION_FIELDS) expect(read![field]).toEqual(PROTECTION[field]);
      }
    });

    it('keeps each auth variant with its own keys, and nothing more', async () => {
      const variants: EndpointProtection['auth'][] = [
        { type: 'none' },
        { type: 'bearer', secret: 'token' },
        { type: 'header', header: 'X-Api-Key', secret: 'key' },
        { type: 'basic', username: 'shop', secret: 'password' },
        { type: 'hmac', preset: 'stripe', secret: 'whsec', toleranceSeconds: 60 },
        { type: 'hmac', preset: 'github', secret: 'gh' },
      ];
      for (const auth of variants) {
        const created = await store().createWebRequest(webRequestInput(scenario().id, { auth }));
        expect((await store().getWebRequest(created.id))?.auth).toStrictEqual(auth);
      }
    });

    it('leaves out the fields given as null or undefined on create', async () => {
      const input = webRequestInput(scenario().id, {
        secrets: null,
        auth: undefined,
        allowIps: null,
        dedup: null,
        timeoutMs: undefined,
        maxConcurrent: null,
      });
      const created = await store().createWebRequest(input);
      for (const read of [created, await store().getWebRequest(created.id)]) {
        for (const field of PROTECTION_FIELDS) expect(field in read!).toBe(false);
      }
    });

    it('keeps zeros and empty lists, which are settings and not absences', async () => {
      const input = webRequestInput(scenario().id, { secrets: [], allowIps: [], maxConcurrent: 0, timeoutMs: 0 });
      const created = await store().createWebRequest(input);
      expect(await store().getWebRequest(created.id)).toMatchObject({ secrets: [], allowIps: [], maxConcurrent: 0, timeoutMs: 0 });
    });

    it('removes a field given as null on update and leaves the others', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario().id, PROTECTION));
      const updated = await store().updateWebRequest(created.id, { auth: null, dedup: null, maxConcurrent: null });
      const { auth: _auth, dedup: _dedup, maxConcurrent: _max, ...rest } = created;
      expect(updated).toEqual({ ...rest, updatedAt: expect.any(String) });
      const read = await store().getWebRequest(created.id);
      expect(read).toEqual(updated);
      for (const field of ['auth', 'dedup', 'maxConcurrent']) expect(field in read!).toBe(false);
    });

    it('leaves the protection fields alone whose patch value is undefined', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario().id, PROTECTION));
      const updated = await store().updateWebRequest(created.id, { name: 'renamed', auth: undefined, secrets: undefined });
      expect(updated).toEqual({ ...created, name: 'renamed', updatedAt: expect.any(String) });
      expect(await store().getWebRequest(created.id)).toEqual(updated);
    });

    it('replaces a field whole, another auth variant leaving none of the old keys behind', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario().id, PROTECTION));
      const patch: EndpointProtection = {
        auth: { type: 'bearer', secret: 'token' },
        dedup: { windowSeconds: 60 },
        allowIps: ['10.0.0.1/32'],
      };
      const updated = await store().updateWebRequest(created.id, patch);
      expect(updated).toEqual({ ...created, ...patch, updatedAt: expect.any(String) });
      const read = await store().getWebRequest(created.id);
      expect(read?.auth).toStrictEqual(patch.auth);
      expect(read?.dedup).toStrictEqual(patch.dedup);
    });

    it('leaves out the keys given as undefined inside a field, on create and on update', async () => {
      const input = webRequestInput(scenario().id, {
        dedup: { key: undefined, windowSeconds: 5 },
        auth: { type: 'hmac', preset: 'github', secret: 's', toleranceSeconds: undefined },
      });
      const created = await store().createWebRequest(input);
      expect((await store().getWebRequest(created.id))?.dedup).toStrictEqual({ windowSeconds: 5 });
      expect((await store().getWebRequest(created.id))?.auth).toStrictEqual({ type: 'hmac', preset: 'github', secret: 's' });
      await store().updateWebRequest(created.id, { dedup: { key: undefined, windowSeconds: 7 } });
      expect((await store().getWebRequest(created.id))?.dedup).toStrictEqual({ windowSeconds: 7 });
    });

    it('adds protection to an endpoint that had none', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario().id));
      await store().updateWebRequest(created.id, PROTECTION);
      expect(await store().getWebRequest(created.id)).toEqual({ ...created, ...PROTECTION, updatedAt: expect.any(String) });
    });
  });
}

/** Contract of the endpoint catalog: CRUD, lookup by urlId, unique urlIds and known scenarios. */
export function webRequestContract(store: StoreGetter): void {
  describe('webrequests', () => {
    let scenario: Scenario;
    let otherScenario: Scenario;

    beforeEach(async () => {
      scenario = await store().createScenario(scenarioInput());
      otherScenario = await store().createScenario(scenarioInput());
    });

    it('creates an active endpoint with defaults and reads it by id and by urlId', async () => {
      const before = Date.now();
      const created = await store().createWebRequest({ name: "Bob's orders", urlId: 'orders', scriptId: scenario.id });

      expect(created).toEqual({
        id: expect.stringMatching(UUID_PATTERN),
        name: "Bob's orders",
        description: '',
        urlId: 'orders',
        scriptId: scenario.id,
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: created.createdAt,
      });
      expect(await store().getWebRequest(created.id)).toStrictEqual(created);
      for (const field of ['corsOrigins', ...PROTECTION_FIELDS]) expect(field in created).toBe(false);
      expectIsoBetween(created.createdAt, before, Date.now());
      expect(await store().getWebRequest(created.id)).toEqual(created);
      expect(await store().getWebRequestByUrlId('orders')).toEqual(created);
    });

    it('keeps description, disabled status and CORS origins, and finds a disabled endpoint by urlId', async () => {
      const input = webRequestInput(scenario.id, {
        description: 'takes orders',
        status: 'disabled',
        corsOrigins: ['https://shop.example', 'https://admin.example'],
      });
      const created = await store().createWebRequest(input);
      expect(created).toMatchObject({ ...input });
      expect(await store().getWebRequestByUrlId(input.urlId)).toEqual(created);
    });

    it('matches urlIds exactly, segments included', async () => {
      const records = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'records' }));
      const nested = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'records/obj' }));
      expect((await store().getWebRequestByUrlId('records'))?.id).toBe(records.id);
      expect((await store().getWebRequestByUrlId('records/obj'))?.id).toBe(nested.id);
      expect(await store().getWebRequestByUrlId('records/ob')).toBeNull();
      expect(await store().getWebRequestByUrlId('RECORDS')).toBeNull();
    });

    it('answers null for an unknown id or urlId', async () => {
      await store().createWebRequest(webRequestInput(scenario.id));
      expect(await store().getWebRequest(newId())).toBeNull();
      expect(await store().getWebRequestByUrlId('nobody-has-this')).toBeNull();
    });

    it('refuses a second endpoint with the same urlId and keeps the first', async () => {
      const first = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'dup' }));
      const second = store().createWebRequest(webRequestInput(otherScenario.id, { urlId: 'dup' }));
      await expect(second).rejects.toThrow(ConflictError);
      expect(await store().getWebRequestByUrlId('dup')).toEqual(first);
      expect((await store().listWebRequests()).items).toEqual([first]);
    });

    it('refuses an endpoint whose scenario does not exist, naming scriptId, and stores nothing', async () => {
      await expectValidationError(store().createWebRequest(webRequestInput(newId(), { urlId: 'orphan' })), 'scriptId');
      expect(await store().getWebRequestByUrlId('orphan')).toBeNull();
      expect((await store().listWebRequests()).items).toEqual([]);
    });

    it('updates the given fields, moves updatedAt and keeps createdAt', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id));
      await sleep(5);
      const patch = {
        name: 'renamed',
        status: 'disabled' as const,
        corsOrigins: ['https://a.example'],
        scriptId: otherScenario.id,
      };
      const updated = await store().updateWebRequest(created.id, patch);

      expect(updated).toEqual({ ...created, ...patch, updatedAt: expect.any(String) });
      expect(Date.parse(updated!.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
      expect(await store().getWebRequest(created.id)).toEqual(updated);
      expect(await store().getWebRequestByUrlId(created.urlId)).toEqual(updated);
    });

    it('leaves fields alone whose patch value is undefined', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id, { corsOrigins: ['https://a.example'] }));
      const patch = { description: 'new', urlId: undefined, corsOrigins: undefined };
      const updated = await store().updateWebRequest(created.id, patch);
      expect(updated).toEqual({ ...created, description: 'new', updatedAt: expect.any(String) });
    });

    it('can clear CORS origins to an empty list', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id, { corsOrigins: ['https://a.example'] }));
      await store().updateWebRequest(created.id, { corsOrigins: [] });
      expect((await store().getWebRequest(created.id))?.corsOrigins).toEqual([]);
    });

    it('moves an endpoint to a new urlId: the old one no longer resolves', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'old-path' }));
      await store().updateWebRequest(created.id, { urlId: 'new/path' });
      expect(await store().getWebRequestByUrlId('old-path')).toBeNull();
      expect((await store().getWebRequestByUrlId('new/path'))?.id).toBe(created.id);
    });

    it("refuses to move an endpoint onto another endpoint's urlId and changes nothing", async () => {
      const a = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'a' }));
      const b = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'b' }));
      await expect(store().updateWebRequest(b.id, { urlId: 'a', name: 'stolen' })).rejects.toThrow(ConflictError);
      expect(await store().getWebRequest(b.id)).toEqual(b);
      expect(await store().getWebRequestByUrlId('a')).toEqual(a);
    });

    it('accepts an update that repeats the endpoint its own urlId', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'mine' }));
      const updated = await store().updateWebRequest(created.id, { urlId: 'mine', name: 'same path' });
      expect(updated).toMatchObject({ urlId: 'mine', name: 'same path' });
    });

    it('refuses to point an endpoint at an unknown scenario, naming scriptId, and changes nothing', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id));
      await expectValidationError(store().updateWebRequest(created.id, { scriptId: newId(), name: 'x' }), 'scriptId');
      expect(await store().getWebRequest(created.id)).toEqual(created);
    });

    it('frees the old scenario for deletion once the endpoint points elsewhere', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id));
      await store().updateWebRequest(created.id, { scriptId: otherScenario.id });
      expect(await store().deleteScenario(scenario.id)).toBe(true);
      await expect(store().deleteScenario(otherScenario.id)).rejects.toThrow(ConflictError);
    });

    it('answers null when updating an unknown endpoint', async () => {
      expect(await store().updateWebRequest(newId(), { name: 'ghost' })).toBeNull();
      expect((await store().listWebRequests()).items).toEqual([]);
    });

    it('deletes an endpoint once, and its urlId can then be used again', async () => {
      const created = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'reuse-me' }));
      expect(await store().deleteWebRequest(created.id)).toBe(true);
      expect(await store().getWebRequest(created.id)).toBeNull();
      expect(await store().getWebRequestByUrlId('reuse-me')).toBeNull();
      expect(await store().deleteWebRequest(created.id)).toBe(false);

      const again = await store().createWebRequest(webRequestInput(scenario.id, { urlId: 'reuse-me' }));
      expect(again.id).not.toBe(created.id);
    });

    protectionContract(store, () => scenario);
  });
}
