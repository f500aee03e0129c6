import { ValidationError, type SealedSecret, type SecretInfo } from '@webrequests/contracts';
import { collectPages, expectIsoBetween, sleep, type StoreGetter } from './contract-fixtures';

let serial = 0;

/** A sealed value as the secrets box makes one: each part distinct per call, so a stale one shows. */
function sealed(name: string, keyId = 'a1b2c3d4'): SealedSecret {
  serial += 1;
  const part = (label: string) => Buffer.from(`${label}-${name}-${serial}`).toString('base64');
  return { name, keyId, iv: part('iv'), tag: part('tag'), ciphertext: part('ciphertext') };
}

function byName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Puts a secret for each name, in the order given; answers what each put answered. */
async function putAll(store: StoreGetter, names: string[]): Promise<SecretInfo[]> {
  const infos: SecretInfo[] = [];
  for (const name of names) infos.push((await store().putSecret(sealed(name))).secret);
  return infos;
}

/** Contract of the secrets: sealed values by name, whose listing shows names and times only. */
export function secretContract(store: StoreGetter): void {
  describe('secrets', () => {
    it('creates a secret with equal times, answers no sealed part, and keeps the sealed value as given', async () => {
      const before = Date.now();
      const value = sealed('SHOP_TOKEN');
      const { secret, created } = await store().putSecret(value);

      expect(created).toBe(true);
      expect(secret).toStrictEqual({ name: 'SHOP_TOKEN', createdAt: expect.any(String), updatedAt: secret.createdAt });
      expectIsoBetween(secret.createdAt, before, Date.now());
      expect(await store().getSealedSecrets(['SHOP_TOKEN'])).toStrictEqual([value]);
      expect((await store().listSecrets()).items).toStrictEqual([secret]);
    });

    it('replaces a secret: new sealed parts, createdAt kept, updatedAt moved, created false', async () => {
      const first = await store().putSecret(sealed('rotating'));
      await sleep(5);
      const replacement = sealed('rotating', 'ffff0000');
      const second = await store().putSecret(replacement);

      expect(second.created).toBe(false);
      expect(second.secret).toStrictEqual({ name: 'rotating', createdAt: first.secret.createdAt, updatedAt: expect.any(String) });
      expect(Date.parse(second.secret.updatedAt)).toBeGreaterThan(Date.parse(first.secret.updatedAt));
      expect(new Date(second.secret.updatedAt).toISOString()).toBe(second.secret.updatedAt);
      expect(await store().getSealedSecrets(['rotating'])).toStrictEqual([replacement]);
      expect((await store().listSecrets()).items).toStrictEqual([second.secret]);
    });

    it('re-seals a secret under another key and keeps both of its times', async () => {
      const { secret } = await store().putSecret(sealed('api.key'));
      await sleep(5);
      const resealed = sealed('api.key', '0badc0de');
      expect(await store().resealSecret(resealed)).toBe(true);
      expect(await store().getSealedSecrets(['api.key'])).toStrictEqual([resealed]);
      expect((await store().listSecrets()).items).toStrictEqual([secret]);
    });

    it('answers false for re-sealing an unknown secret, and creates nothing', async () => {
      await putAll(store, ['known']);
      expect(await store().resealSecret(sealed('unknown'))).toBe(false);
      expect((await store().listSecrets()).items.map((s) => s.name)).toEqual(['known']);
      expect(await store().getSealedSecrets(['unknown'])).toEqual([]);
    });

    it('lists secrets by name, ascending and case-sensitive, with names and times only', async () => {
      const infos = await putAll(store, ['stripe.key', 'a_token', 'B2', 'a', 'A-1', 'b', '_x']);
      const page = await store().listSecrets();
      expect(page).toStrictEqual({ items: byName(infos), nextCursor: null });
      expect(page.items.map((s) => s.name)).toEqual(['A-1', 'B2', '_x', 'a', 'a_token', 'b', 'stripe.key']);
      for (const item of page.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
    });

    it('answers an empty page when there are no secrets', async () => {
      expect(await store().listSecrets()).toEqual({ items: [], nextCursor: null });
    });

    it('pages secrets by name with a limit, without gaps or duplicates', async () => {
      const infos = await putAll(store, ['e', 'c', 'a', 'd', 'b']);
      const { items, pageSizes } = await collectPages((cursor) => store().listSecrets({ cursor, limit: 2 }));
      expect(items).toStrictEqual(byName(infos));
      expect(pageSizes).toEqual([2, 2, 1]);
    });

    it('ends with a null cursor when the last page of secrets is exactly full', async () => {
      await putAll(store, ['w', 'x', 'y', 'z']);
      const { items, pageSizes } = await collectPages((cursor) => store().listSecrets({ cursor, limit: 2 }));
      expect(items.map((s) => s.name)).toEqual(['w', 'x', 'y', 'z']);
      expect(pageSizes).toEqual([2, 2]);
    });

    it('continues after the cursor name when secrets come and go between pages', async () => {
      await putAll(store, ['b', 'd', 'f', 'h']);
      const first = await store().listSecrets({ limit: 2 });
      expect(first.items.map((s) => s.name)).toEqual(['b', 'd']);
      await store().deleteSecret('d');
      await putAll(store, ['a', 'e']);
      const second = await store().listSecrets({ cursor: first.nextCursor!, limit: 2 });
      expect(second.items.map((s) => s.name)).toEqual(['e', 'f']);
    });

    it('refuses a cursor it did not give out and a bad limit, naming each', async () => {
      await putAll(store, ['one', 'two']);
      for (const cursor of ['not a cursor', 'garbage!', '']) {
        await expect(store().listSecrets({ cursor })).rejects.toMatchObject({ field: 'cursor' });
      }
      for (const limit of [0, -1, 2.5]) {
        const error: unknown = await store().listSecrets({ limit }).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: 'limit' });
      }
    });

    it('answers the sealed values of the named secrets that exist, or of all', async () => {
      const values = ['alpha', 'beta', 'gamma'].map((name) => sealed(name));
      for (const value of values) await store().putSecret(value);

      expect(byName(await store().getSealedSecrets())).toStrictEqual(values);
      expect(byName(await store().getSealedSecrets(['gamma', 'missing', 'alpha']))).toStrictEqual([values[0], values[2]]);
      expect(await store().getSealedSecrets(['missing'])).toEqual([]);
      expect(await store().getSealedSecrets([])).toEqual([]);
    });

    it('deletes a secret once and leaves the others', async () => {
      await putAll(store, ['gone', 'kept']);
      expect(await store().deleteSecret('gone')).toBe(true);
      expect(await store().deleteSecret('gone')).toBe(false);
      expect(await store().deleteSecret('never')).toBe(false);
      expect((await store().listSecrets()).items.map((s) => s.name)).toEqual(['kept']);
      expect((await store().getSealedSecrets()).map((s) => s.name)).toEqual(['kept']);
    });

    it('creates a deleted name anew, with new times', async () => {
      const [old] = await putAll(store, ['again']);
      await store().deleteSecret('again');
      await sleep(5);
      const { secret, created } = await store().putSecret(sealed('again'));
      expect(created).toBe(true);
      expect(Date.parse(secret.createdAt)).toBeGreaterThan(Date.parse(old!.createdAt));
      expect(secret.updatedAt).toBe(secret.createdAt);
    });

    it('answers created true once when one new name is put twice at once', async () => {
      const results = await Promise.all([store().putSecret(sealed('raced')), store().putSecret(sealed('raced'))]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(results[0]!.secret.createdAt).toBe(results[1]!.secret.createdAt);
      expect((await store().listSecrets()).items).toHaveLength(1);
    });
  });
}
