import { haveChromium, launchBrowser } from '../test-support/browser';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * End to end: the pages an operator's browser opens (the Bull dashboard, the admin API) carry headers
 * that keep any other page, a scenario's own HTML on this very origin included, from framing them or
 * running scripts in them; the public endpoint's answers stay the scenario's to shape (no CSP added);
 * and `/metrics`, which names every endpoint, is not on the public port (SPEC §5).
 */

let stack: TestStack;
let base: string;
let basic: string;
const HTML = "<!doctype html><title>scenario page</title><iframe id='board' src='/admin/queues' width='600' height='400'></iframe>";

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
  base = stack.ingresses[0]!;
  basic = `Basic ${Buffer.from(`operator:${stack.token}`).toString('base64')}`;
  await stack.endpoint('pages/html', `return { $headers: { 'Content-Type': 'text/html; charset=utf-8' }, $body: ${JSON.stringify(HTML)} };`);
  await stack.endpoint('pages/own-csp', "return { $headers: { 'Content-Security-Policy': \"default-src 'none'\" }, own: true };");
  await stack.endpoint('pages/failing', "throw new Error('on purpose');");
});
afterAll(async () => {
  await stack?.stop();
});

function expectOperatorHeaders(response: Response): void {
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp.split(';').map((d) => d.trim())).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

async function get(path: string, auth: 'basic' | 'bearer' | null): Promise<Response> {
  const headers: Record<string, string> = auth === 'basic' ? { authorization: basic } : auth === 'bearer' ? { authorization: `Bearer ${stack.token}` } : {};
  return fetch(`${base}${path}`, { headers });
}

describe('operator pages', () => {
  it.each([
    ['the dashboard', '/admin/queues', 'basic', 200],
    ['the dashboard’s JSON API', '/admin/queues/api/queues', 'basic', 200],
    ['the dashboard without credentials', '/admin/queues', null, 401],
    ['the OpenAPI document', '/api/admin/openapi.json', 'bearer', 200],
    ['an admin API list', '/api/admin/webrequests', 'bearer', 200],
    ['the admin API without credentials', '/api/admin/webrequests', null, 401],
    ['an unknown admin route', '/api/admin/no-such-thing', 'bearer', 404],
  ] as const)('%s (%s) carries X-Frame-Options DENY and a CSP with frame-ancestors none', async (_what, path, auth, status) => {
    const response = await get(path, auth);
    expect(response.status).toBe(status);
    expectOperatorHeaders(response);
    await response.arrayBuffer();
  });

  it('names no framework (X-Powered-By) on the admin API, nor on the dashboard’s refusals', async () => {
    for (const [path, auth] of [['/api/admin/openapi.json', 'bearer'], ['/api/admin/webrequests', null], ['/admin/queues', null]] as const) {
      const response = await get(path, auth);
      expect(response.headers.get('x-powered-by')).toBeNull();
      await response.arrayBuffer();
    }
  });

  // bull-board's ExpressAdapter is an Express app of its own, which would send `X-Powered-By: Express`.
  it('names no framework (X-Powered-By) on the dashboard’s own pages', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await get(path, 'basic');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-powered-by')).toBeNull();
      await response.arrayBuffer();
    }
  });
});

describe('the public endpoint', () => {
  it('serves a scenario’s HTML without the operator pages’ CSP or frame ban, and without X-Powered-By', async () => {
    const response = await fetch(`${base}/api/webrequest/pages/html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(HTML);
    for (const name of ['content-security-policy', 'x-frame-options', 'x-powered-by']) expect(response.headers.get(name)).toBeNull();
  });

  it('passes a scenario’s own CSP through as it wrote it', async () => {
    const response = await fetch(`${base}/api/webrequest/pages/own-csp`);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await response.json()).toEqual({ own: true });
  });

  it('adds no CSP to async answers, errors and unknown endpoints either', async () => {
    const answers = await Promise.all([
      fetch(`${base}/api/webrequest/pages/html?async=true`),
      fetch(`${base}/api/webrequest/pages/failing`),
      fetch(`${base}/api/webrequest/pages/no-such-endpoint`),
      fetch(`${base}/healthz`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 500, 404, 200]);
    for (const response of answers) {
      expect(response.headers.get('content-security-policy')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
      await response.arrayBuffer();
    }
  });
});

describe('metrics', () => {
  it('are not served on the public port (404), only on METRICS_PORT', async () => {
    const publicPort = await fetch(`${base}/metrics`);
    expect(publicPort.status).toBe(404);
    expect(await publicPort.text()).not.toContain('webrequests_');
    const own = await fetch(stack.metrics[0]!);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('webrequests_http_requests_total');
    expect(new URL(stack.metrics[0]!).port).not.toBe(new URL(base).port);
  });
});

(haveChromium('the operator pages browser test') ? describe : describe.skip)('in a browser signed in to the dashboard', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    browser = await launchBrowser({ httpCredentials: { username: 'operator', password: stack.token } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the dashboard under its CSP without a single violation', async () => {
    const tab = await browser.context.newPage();
    const violations: string[] = [];
    tab.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await tab.goto(`${base}/admin/queues`);
    await tab.getByText('webrequests', { exact: true }).first().waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await tab.close();
  }, 30_000);

  it('keeps a scenario’s page on the same origin from framing it', async () => {
    const tab = await browser.context.newPage();
    const board = tab.waitForResponse((response) => response.url() === `${base}/admin/queues`);
    await tab.goto(`${base}/api/webrequest/pages/html`);
    // The board answered (the browser sent the credentials), but the browser did not show it in the frame.
    expect((await board).status()).toBe(200);
    await tab.waitForTimeout(1000);
    // A string, run in the page: a blocked frame holds the browser's error page, not the board.
    const framed = await tab.evaluate<string | null>("(() => { try { return document.getElementById('board').contentDocument?.body?.innerText ?? null; } catch { return null; } })()");
    const frame = await (await tab.$('#board'))!.contentFrame();
    expect(frame?.url()).not.toBe(`${base}/admin/queues`);
    expect(framed ?? '').not.toContain('webrequests');
    await tab.close();
  }, 30_000);
});
