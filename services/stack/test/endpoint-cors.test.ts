import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { haveChromium, launchBrowser } from '../test-support/browser';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * End to end: an endpoint that lists `corsOrigins` (SPEC §3 "CORS"): the ingress answers preflights
 * itself and adds CORS headers to the endpoint's sync, async and error answers for the listed origins
 * only, while a scenario's own `$headers` still win. Last, a real browser calls it from two origins.
 */

const SITE = 'https://shop.example';
const OTHER = 'https://evil.example';

let stack: TestStack;
let listed: { url: string; id: string };
let anyOrigin: { url: string; id: string };
let scenarioCors: { url: string; id: string };

beforeAll(async () => {
  stack = await startTestStack({ workers: 1, env: { MAX_BODY_BYTES: '1024' } });
  const source = `
    if (query.fail) throw new Error('failing on purpose');
    if (query.own) return { $headers: { 'Access-Control-Allow-Origin': 'https://own.example' }, own: true };
    return { ok: true, method };`;
  listed = await stack.endpoint('cors/listed', source, { corsOrigins: [SITE, 'http://localhost:3000'] });
  anyOrigin = await stack.endpoint('cors/any', source, { corsOrigins: ['*'] });
  scenarioCors = await stack.endpoint(
    'cors/scenario',
    "return method === 'OPTIONS' ? { $status: 299, $headers: { 'Access-Control-Allow-Origin': '*', 'X-From': 'scenario' }, $body: null } : { ok: true };",
  );
});
afterAll(async () => {
  await stack?.stop();
});

function preflight(url: string, origin: string, requestHeaders?: string): Promise<Response> {
  const headers: Record<string, string> = { origin, 'access-control-request-method': 'PUT' };
  if (requestHeaders) headers['access-control-request-headers'] = requestHeaders;
  return fetch(url, { method: 'OPTIONS', headers });
}

async function processCount(webrequestId: string): Promise<number> {
  return (await stack.admin<{ items: unknown[] }>('GET', `/processes?webrequestId=${webrequestId}`)).items.length;
}

function varyOf(response: Response): string[] {
  return (response.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());
}

describe('preflights of an endpoint that lists origins', () => {
  it('answers 204 itself for a listed origin, echoing it, with the methods, the requested headers and a max-age', async () => {
    const before = await processCount(listed.id);
    const response = await preflight(listed.url, SITE, 'content-type, x-signature');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-signature');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(varyOf(response)).toContain('origin');
    // The scenario did not run: no process was recorded for the preflight.
    expect(await processCount(listed.id)).toBe(before);
  });

  it('answers a preflight from an origin not listed without any Access-Control-Allow-* header', async () => {
    const response = await preflight(listed.url, OTHER, 'content-type');
    expect(response.status).toBe(204);
    for (const name of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']) {
      expect(response.headers.get(name)).toBeNull();
    }
    expect(varyOf(response)).toContain('origin');
  });

  it('allows any origin with "*", answering "*"', async () => {
    const response = await preflight(anyOrigin.url, OTHER);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('passes an OPTIONS that is not a preflight (no Access-Control-Request-Method) to the scenario', async () => {
    const response = await fetch(listed.url, { method: 'OPTIONS', headers: { origin: SITE } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, method: 'OPTIONS' });
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
  });

  it('leaves preflights to the scenario on an endpoint that lists no origins, as in Bpium', async () => {
    const response = await preflight(scenarioCors.url, SITE);
    expect(response.status).toBe(299);
    expect(response.headers.get('x-from')).toBe('scenario');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-max-age')).toBeNull();
  });
});

describe('answers of an endpoint that lists origins', () => {
  it('adds the CORS headers to a sync answer for a listed origin, and exposes the request id', async () => {
    const response = await fetch(listed.url, { method: 'POST', headers: { origin: 'http://localhost:3000' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, method: 'POST' });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/i);
    expect(varyOf(response)).toContain('origin');
  });

  it('adds them to an async answer, exposing X-Process-Id to the page', async () => {
    const response = await fetch(`${listed.url}?async=true`, { method: 'POST', headers: { origin: SITE } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-process-id')).toMatch(/\S/);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-Process-Id/i);
    await stack.waitForProcess(response.headers.get('x-process-id')!);
  });

  it('adds them to error answers: a failing scenario (500), a malformed body (400) and a body too large (413)', async () => {
    const failed = await fetch(`${listed.url}?fail=1`, { headers: { origin: SITE } });
    const malformed = await fetch(listed.url, { method: 'POST', headers: { origin: SITE, 'content-type': 'application/json' }, body: '{"no' });
    const tooLarge = await fetch(listed.url, { method: 'POST', headers: { origin: SITE, 'content-type': 'text/plain' }, body: 'x'.repeat(2048) });
    expect([failed.status, malformed.status, tooLarge.status]).toEqual([500, 400, 413]);
    for (const response of [failed, malformed, tooLarge]) {
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/\w/);
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    }
  });

  it('adds no CORS header for an origin not listed, nor for a request without Origin', async () => {
    for (const headers of [{ origin: OTHER }, {}] as Array<Record<string, string>>) {
      const response = await fetch(listed.url, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toBeNull();
      await response.arrayBuffer();
    }
  });

  it("lets the scenario's own $headers win over the endpoint's", async () => {
    const response = await fetch(`${listed.url}?own=1`, { headers: { origin: SITE } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://own.example');
  });

  it('follows an update of the endpoint’s origins on the very next request', async () => {
    const other = await stack.endpoint('cors/updated', 'return { ok: true };', { corsOrigins: [SITE] });
    expect((await preflight(other.url, OTHER)).headers.get('access-control-allow-origin')).toBeNull();
    await stack.admin('PATCH', `/webrequests/${other.id}`, { corsOrigins: [SITE, OTHER] });
    expect((await preflight(other.url, OTHER)).headers.get('access-control-allow-origin')).toBe(OTHER);
    await stack.admin('PATCH', `/webrequests/${other.id}`, { corsOrigins: [] });
    // No origins listed any more: the preflight reaches the scenario, which answers 200 without CORS.
    const now = await preflight(other.url, OTHER);
    expect(now.status).toBe(200);
    expect(now.headers.get('access-control-allow-origin')).toBeNull();
  });
});

(haveChromium('the CORS browser test') ? describe : describe.skip)('in a browser', () => {
  let page: Server;
  let pagePort: number;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let endpoint: { url: string };

  beforeAll(async () => {
    // One page server, reached under two origins: http://127.0.0.1:<port> (listed) and http://localhost:<port> (not).
    page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title>'));
    page.listen(0, '127.0.0.1');
    await once(page, 'listening');
    pagePort = (page.address() as AddressInfo).port;
    endpoint = await stack.endpoint('cors/browser', 'return { got: body.item, origin: headers.origin };', { corsOrigins: [`http://127.0.0.1:${pagePort}`] });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    page?.close();
  });

  /** Runs a cross-origin JSON POST (which needs a preflight) from a page of `origin`. */
  async function postFrom(origin: string, url: string): Promise<{ ok: true; status: number; body: unknown; processId: string | null } | { ok: false; error: string }> {
    const tab = await browser.context.newPage();
    try {
      await tab.goto(`${origin}/`);
      return await tab.evaluate(async (target) => {
        try {
          const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-trace': '1' }, body: JSON.stringify({ item: 'book' }) });
          const text = await response.text();
          return { ok: true as const, status: response.status, body: text ? JSON.parse(text) : null, processId: response.headers.get('x-process-id') };
        } catch (error) {
          return { ok: false as const, error: String(error) };
        }
      }, url);
    } finally {
      await tab.close();
    }
  }

  it('lets a page of a listed origin post JSON and read the answer, sync and async, and blocks a page of another origin', async () => {
    const listedOrigin = `http://127.0.0.1:${pagePort}`;
    expect(await postFrom(listedOrigin, endpoint.url)).toEqual({ ok: true, status: 200, body: { got: 'book', origin: listedOrigin }, processId: null });
    const asyncAnswer = await postFrom(listedOrigin, `${endpoint.url}?async=true`);
    expect(asyncAnswer).toMatchObject({ ok: true, status: 200, body: null, processId: expect.stringMatching(/\S/) });

    const blocked = await postFrom(`http://localhost:${pagePort}`, endpoint.url);
    expect(blocked).toEqual({ ok: false, error: expect.stringContaining('Failed to fetch') });
  }, 60_000);
});
