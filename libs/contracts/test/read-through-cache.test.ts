import { ReadThroughCache } from '../src/read-through-cache';

/** A source that counts its reads and answers what `value` holds at the time of each read. */
function countingSource(initial: string) {
  const source = {
    value: initial,
    reads: 0,
    pending: [] as Array<() => void>,
    /** When true, reads wait until `release()`. */
    held: false,
    load: async (): Promise<string> => {
      source.reads++;
      const answer = source.value;
      if (source.held) await new Promise<void>((resolve) => source.pending.push(resolve));
      return answer;
    },
    release: () => source.pending.splice(0).forEach((resolve) => resolve()),
  };
  return source;
}

describe('ReadThroughCache', () => {
  afterEach(() => jest.useRealTimers());

  it('reads once, then answers from memory until the value expires', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new ReadThroughCache<string>({ ttlMs: 5000, maxEntries: 10 });
    const source = countingSource('v1');
    expect(await cache.get('k', source.load)).toBe('v1');
    source.value = 'v2';
    expect(await cache.get('k', source.load)).toBe('v1');
    expect(source.reads).toBe(1);
    jest.setSystemTime(1_000_000 + 5001);
    expect(await cache.get('k', source.load)).toBe('v2');
    expect(source.reads).toBe(2);
  });

  it('lets concurrent callers share one read', async () => {
    const cache = new ReadThroughCache<string>({ ttlMs: 5000, maxEntries: 10 });
    const source = countingSource('v1');
    source.held = true;
    const answers = Promise.all([cache.get('k', source.load), cache.get('k', source.load), cache.get('k', source.load)]);
    source.release();
    expect(await answers).toEqual(['v1', 'v1', 'v1']);
    expect(source.reads).toBe(1);
  });

  it('does not keep what a read begun before a forget answered: it may be the old value', async () => {
    const cache = new ReadThroughCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    const source = countingSource('old');
    source.held = true;
    const first = cache.get('k', source.load);
    await Promise.resolve();
    // The change lands in the store and is announced while the old value is on its way back.
    source.value = 'new';
    cache.forget('k');
    source.held = false;
    source.release();
    expect(await first).toBe('old');
    expect(await cache.get('k', source.load)).toBe('new');
    expect(source.reads).toBe(2);
  });

  it('forgets one key or every key', async () => {
    const cache = new ReadThroughCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    const a = countingSource('a1');
    const b = countingSource('b1');
    await cache.get('a', a.load);
    await cache.get('b', b.load);
    a.value = 'a2';
    b.value = 'b2';
    cache.forget('a');
    expect(await cache.get('a', a.load)).toBe('a2');
    expect(await cache.get('b', b.load)).toBe('b1');
    cache.forget();
    expect(await cache.get('b', b.load)).toBe('b2');
  });

  it('keeps at most maxEntries keys, pushing out the oldest', async () => {
    const cache = new ReadThroughCache<number>({ ttlMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 100; i++) await cache.get(`k${i}`, async () => i);
    expect(cache.size).toBe(3);
    expect(cache.peek('k99')).toBe(99);
    expect(cache.peek('k96')).toBeUndefined();
  });

  it('keeps nothing for a read that failed, and the next caller reads again', async () => {
    const cache = new ReadThroughCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    await expect(cache.get('k', async () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.get('k', async () => 'back')).toBe('back');
  });

  it('keeps a value for the time its ttl function gives it', async () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const cache = new ReadThroughCache<string | null>({ ttlMs: (value) => (value === null ? 1000 : 60_000), maxEntries: 10 });
    await cache.get('missing', async () => null);
    await cache.get('here', async () => 'x');
    jest.setSystemTime(2_000_000 + 1001);
    expect(cache.peek('missing')).toBeUndefined();
    expect(cache.peek('here')).toBe('x');
  });
});
