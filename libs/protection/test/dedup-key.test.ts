import type { EndpointAuth } from '@webrequests/contracts';
import { dedupKeyOf, dedupKeySource, isValidDedupKeySource, type DedupSources } from '@webrequests/protection';

const WINDOW = { windowSeconds: 3600 };

function sources(parts: Partial<DedupSources>): DedupSources {
  return { headers: {}, query: {}, body: undefined, ...parts };
}

describe('dedupKeySource', () => {
  it('takes the endpoint key first', () => {
    const auth: EndpointAuth = { type: 'hmac', preset: 'github', secret: 'gh' };
    expect(dedupKeySource({ ...WINDOW, key: 'body:delivery.id' }, auth)).toBe('body:delivery.id');
  });

  it.each([
    ['github', 'header:X-GitHub-Delivery'],
    ['shopify', 'header:X-Shopify-Webhook-Id'],
    ['standard-webhooks', 'header:webhook-id'],
    ['stripe', 'body:id'],
  ] as const)('defaults to the %s delivery id, %s', (preset, source) => {
    expect(dedupKeySource(WINDOW, { type: 'hmac', preset, secret: 'hooks' })).toBe(source);
  });

  it('names no source for Slack, custom, other auth types, or no auth', () => {
    expect(dedupKeySource(WINDOW, { type: 'hmac', preset: 'slack', secret: 's' })).toBeNull();
    expect(dedupKeySource(WINDOW, { type: 'hmac', preset: 'custom', secret: 's', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex' })).toBeNull();
    expect(dedupKeySource(WINDOW, { type: 'bearer', secret: 's' })).toBeNull();
    expect(dedupKeySource(WINDOW)).toBeNull();
  });
});

describe('isValidDedupKeySource', () => {
  it.each(['header:X-GitHub-Delivery', 'header:idempotency-key', 'query:id', 'query:delivery[id]', 'body:id', 'body:data.object.id', 'body:items.0.id'])('accepts %s', (text) => {
    expect(isValidDedupKeySource(text)).toBe(true);
  });

  it.each(['id', 'header:', 'header:X Delivery', 'cookie:id', 'body:', 'body:data..id', 'body:.id', 'body:__proto__.x', 'body:a.constructor.prototype', `query:${'q'.repeat(300)}`])('refuses %j', (text) => {
    expect(isValidDedupKeySource(text)).toBe(false);
  });
});

describe('dedupKeyOf', () => {
  it('reads a header in any case, and refuses an ambiguous repeated one', () => {
    expect(dedupKeyOf('header:X-GitHub-Delivery', sources({ headers: { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' } }))).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(dedupKeyOf('header:x-github-delivery', sources({ headers: { 'X-GitHub-Delivery': 'a1' } }))).toBe('a1');
    expect(dedupKeyOf('header:idempotency-key', sources({ headers: { 'idempotency-key': ['a', 'b'] } }))).toBeNull();
    expect(dedupKeyOf('header:idempotency-key', sources({ headers: { 'idempotency-key': '' } }))).toBeNull();
  });

  it('reads the Standard Webhooks id from svix-id when a Svix delivery carries only that', () => {
    expect(dedupKeyOf('header:webhook-id', sources({ headers: { 'svix-id': 'msg_svix' } }))).toBe('msg_svix');
    expect(dedupKeyOf('header:webhook-id', sources({ headers: { 'webhook-id': 'msg_std', 'svix-id': 'msg_svix' } }))).toBe('msg_std');
  });

  it('reads a query parameter, and no key from an array or object one', () => {
    expect(dedupKeyOf('query:delivery', sources({ query: { delivery: 'd-17' } }))).toBe('d-17');
    expect(dedupKeyOf('query:delivery', sources({ query: { delivery: ['d-17', 'd-18'] } }))).toBeNull();
    expect(dedupKeyOf('query:delivery', sources({ query: { delivery: { id: 'd-17' } } }))).toBeNull();
    expect(dedupKeyOf('query:delivery', sources({ query: {} }))).toBeNull();
  });

  it('walks a body path through objects and arrays, writing numbers and booleans as text', () => {
    const body = { id: 'evt_1NG8', data: { object: { id: 'in_1', attempt: 3, live: false } }, items: [{ id: 41 }, { id: 42 }] };
    expect(dedupKeyOf('body:id', sources({ body }))).toBe('evt_1NG8');
    expect(dedupKeyOf('body:data.object.id', sources({ body }))).toBe('in_1');
    expect(dedupKeyOf('body:data.object.attempt', sources({ body }))).toBe('3');
    expect(dedupKeyOf('body:data.object.live', sources({ body }))).toBe('false');
    expect(dedupKeyOf('body:items.1.id', sources({ body }))).toBe('42');
  });

  it('has no key where the path ends at an object, an array, null, or nothing', () => {
    const body = { data: { object: { id: null } }, items: [1, 2], text: 'plain' };
    for (const source of ['body:data', 'body:items', 'body:data.object.id', 'body:data.missing.id', 'body:text.length']) {
      expect(dedupKeyOf(source, sources({ body }))).toBeNull();
    }
    expect(dedupKeyOf('body:id', sources({ body: 'id=3' }))).toBeNull();
    expect(dedupKeyOf('body:id', sources({ body: undefined }))).toBeNull();
  });

  it('never walks the prototype chain', () => {
    const inherited = Object.create({ id: 'from-the-prototype' }) as Record<string, unknown>;
    expect(dedupKeyOf('body:id', sources({ body: inherited }))).toBeNull();
    expect(dedupKeyOf('body:toString', sources({ body: {} }))).toBeNull();
    expect(dedupKeyOf('body:items.length', sources({ body: { items: [] } }))).toBe('0');
    expect(dedupKeyOf('query:hasOwnProperty', sources({ query: {} }))).toBeNull();
    expect(dedupKeyOf('header:constructor', sources({ headers: {} }))).toBeNull();
  });

  it('refuses a source that walks into the prototype machinery, throwing', () => {
    const body = JSON.parse('{"__proto__":{"id":"own-but-named-__proto__"}}') as unknown;
    expect(() => dedupKeyOf('body:__proto__.id', sources({ body }))).toThrow('is not a de-duplication key source');
  });

  it('hashes a key longer than 512 characters to sha256:<hex>, the same for the same key', () => {
    const long = 'k'.repeat(513);
    const key = dedupKeyOf('header:idempotency-key', sources({ headers: { 'idempotency-key': long } }));
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(dedupKeyOf('body:key', sources({ body: { key: long } }))).toBe(key);
    expect(dedupKeyOf('body:key', sources({ body: { key: 'k'.repeat(512) } }))).toBe('k'.repeat(512));
  });
});
