import { randomBytes } from 'node:crypto';
import type { SealedSecret } from '@webrequests/contracts';
import { SecretBox, SecretCache, keyIdOf, openSecretBox, parseSecretsKey } from '@webrequests/protection';

const key = randomBytes(32);
const oldKey = randomBytes(32);

describe('parseSecretsKey', () => {
  it('reads 32 bytes written as hex, base64 or base64url, and refuses anything else with a message saying the form', () => {
    expect(parseSecretsKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseSecretsKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseSecretsKey(key.toString('base64url')).equals(key)).toBe(true);
    for (const bad of ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), `${key.toString('hex')}00`]) {
      expect(() => parseSecretsKey(bad)).toThrow(/32 bytes/);
    }
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(key);

  it('seals a value into ciphertext that holds no trace of it, with a fresh IV each time, and opens it again', () => {
    const value = `value-${randomBytes(8).toString('hex')}`;
    const first = box.seal('api', value);
    const second = box.seal('api', value);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(JSON.stringify(first)).not.toContain(value);
    expect(first.keyId).toBe(keyIdOf(key));
    expect(box.open(first)).toBe(value);
  });

  it('refuses a record whose ciphertext, tag or name was changed (GCM authenticates all three)', () => {
    const sealed = box.seal('api', 'the value');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    expect(() => box.open({ ...sealed, ciphertext: flip(sealed.ciphertext) })).toThrow(/altered/);
    expect(() => box.open({ ...sealed, tag: flip(sealed.tag) })).toThrow(/altered/);
    // Moved under another name, a value does not open: the name is associated data.
    expect(() => box.open({ ...sealed, name: 'other' })).toThrow(/altered/);
  });

  it('opens values of the old key during a rotation, seals new ones under the new key, and re-seals old ones', () => {
    const before = new SecretBox(oldKey).seal('api', 'v1');
    const rotating = new SecretBox(key, [oldKey]);
    expect(rotating.open(before)).toBe('v1');
    expect(rotating.seal('api', 'v2').keyId).toBe(keyIdOf(key));
    const resealed = rotating.reseal(before);
    expect(resealed.keyId).toBe(keyIdOf(key));
    expect(new SecretBox(key).open(resealed)).toBe('v1');
    expect(() => new SecretBox(key).open(before)).toThrow(/neither SECRETS_KEY nor SECRETS_KEY_OLD/);
  });
});

describe('openSecretBox', () => {
  const store = (sealed: SealedSecret[]) => ({ getSealedSecrets: async () => sealed });

  it('is null with no key and no secrets, and refuses to start with secrets but no key, or secrets under an unknown key', async () => {
    expect(await openSecretBox({ key: undefined, oldKey: undefined }, store([]))).toBeNull();
    const sealed = new SecretBox(oldKey).seal('api', 'x');
    await expect(openSecretBox({ key: undefined, oldKey: undefined }, store([sealed]))).rejects.toThrow(/SECRETS_KEY is not set/);
    await expect(openSecretBox({ key: key.toString('hex'), oldKey: undefined }, store([sealed]))).rejects.toThrow(/SECRETS_KEY_OLD/);
    const box = await openSecretBox({ key: key.toString('hex'), oldKey: oldKey.toString('base64') }, store([sealed]));
    expect(box!.open(sealed)).toBe('x');
  });
});

describe('SecretCache', () => {
  const box = new SecretBox(key);

  function countingStore(values: Record<string, string>) {
    const store = {
      reads: 0,
      values,
      async getSealedSecrets(names: readonly string[]) {
        store.reads++;
        return names.filter((name) => name in store.values).map((name) => box.seal(name, store.values[name]!));
      },
    };
    return store;
  }

  it('reads the store once for a value, not per call, and again after forget', async () => {
    const store = countingStore({ a: 'one' });
    const cache = new SecretCache(store, box);
    expect(await cache.values(['a', 'missing'])).toEqual({ a: 'one' });
    expect(await cache.value('a')).toBe('one');
    expect(store.reads).toBe(1);
    store.values.a = 'two';
    cache.forget('a');
    expect(await cache.value('a')).toBe('two');
    expect(store.reads).toBe(2);
  });

  it('shares one read among concurrent callers', async () => {
    const store = countingStore({ a: 'one' });
    const cache = new SecretCache(store, box);
    await Promise.all(Array.from({ length: 10 }, () => cache.value('a')));
    expect(store.reads).toBe(1);
  });

  it('does not keep a value read while a change was announced: the next call reads the new one', async () => {
    let release!: () => void;
    const slow = {
      values: { a: 'old' } as Record<string, string>,
      async getSealedSecrets(names: readonly string[]) {
        const snapshot = names.map((name) => box.seal(name, slow.values[name]!));
        await new Promise<void>((resolve) => (release = resolve));
        return snapshot;
      },
    };
    const cache = new SecretCache(slow, box);
    const pending = cache.value('a');
    await new Promise((resolve) => setImmediate(resolve));
    slow.values.a = 'new';
    cache.forget('a');
    release();
    expect(await pending).toBe('old');
    const next = cache.value('a');
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await next).toBe('new');
  });

  it('forgets "not set" within seconds, and every value after its time to live', async () => {
    const store = countingStore({});
    const cache = new SecretCache(store, box, 50);
    expect(await cache.value('late')).toBeUndefined();
    store.values.late = 'here';
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await cache.value('late')).toBe('here');
  });

  it('fails a read of a sealed value when the service has no key', async () => {
    await expect(new SecretCache(countingStore({ a: 'x' }), null).value('a')).rejects.toThrow(/SECRETS_KEY is not/);
  });
});
