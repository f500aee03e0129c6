import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { haveChromium, launchBrowser } from '../test-support/browser';
import { startTestStack, type TestStack } from '../test-support/harness';
import { sameLengthWrongTokens } from '../test-support/wrong-tokens';

/**
 * End to end: the Bull dashboard at /admin/queues (SPEC §5), opened in a real headless Chromium that
 * logs in with HTTP Basic (the admin token as password), as an operator would.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const OUTPUT_DIR = join(ROOT, '.test-output', 'dashboard');
const browserTests = haveChromium('the dashboard browser tests') ? describe : describe.skip;

let stack: TestStack;
let base: string;
let completedId: string;
let failedId: string;

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
  base = stack.ingresses[0]!;
  const ok = await stack.endpoint('dash-ok', "console.log('hello dashboard'); return { greeting: 'hi ' + query.name };");
  const failing = await stack.endpoint('dash-fails', "throw new Error('the dashboard should show this failure');");
  const answers = [await fetch(`${ok.url}?name=ann`), await fetch(failing.url, { method: 'POST' })];
  expect(answers.map((a) => a.status)).toEqual([200, 500]);
  failedId = ((await answers[1]!.json()) as { error: { processId: string } }).error.processId;
  await answers[0]!.arrayBuffer();
  // The completed answer carries no process id header (only async ones do): find it in the catalog.
  const page = await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${ok.id}`);
  completedId = page.items[0]!.id;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('access', () => {
  it('answers 401 with a Basic challenge without credentials, so a browser asks for them', async () => {
    const response = await fetch(`${base}/admin/queues`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="webrequests"/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('answers 401 to a wrong password, on the page and on its JSON API', async () => {
    const basic = `Basic ${Buffer.from('admin:not-the-token').toString('base64')}`;
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await fetch(`${base}${path}`, { headers: { authorization: basic } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('answers 401 to a wrong password of exactly the token\'s length, so a length-only check fails', async () => {
    const wrong = sameLengthWrongTokens(stack.token);
    expect(wrong.length).toBeGreaterThanOrEqual(5);
    const answers: Array<{ password: string; as: string; status: number; challenge: string | null }> = [];
    for (const password of wrong) {
      const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const response = await fetch(`${base}${path}`, { headers: { authorization: basic } });
        answers.push({ password, as: `Basic ${path}`, status: response.status, challenge: response.headers.get('www-authenticate') });
        await response.arrayBuffer();
      }
      // The same wrong token as a Bearer is refused too.
      const bearer = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${password}` } });
      answers.push({ password, as: 'Bearer /admin/queues/api/queues', status: bearer.status, challenge: bearer.headers.get('www-authenticate') });
      await bearer.arrayBuffer();
    }
    expect(answers).toEqual(answers.map(({ password, as }) => ({ password, as, status: 401, challenge: expect.stringMatching(/^Basic realm="webrequests"/) })));
  });

  it('serves the dashboard with any user name and the token as password', async () => {
    const response = await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`ops:${stack.token}`).toString('base64')}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('is off (404) when ADMIN_TOKEN is unset', async () => {
    const open = await startTestStack({ workers: 0, env: { ADMIN_TOKEN: '' } });
    try {
      const response = await fetch(`${open.ingresses[0]}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(':x').toString('base64')}` } });
      expect(response.status).toBe(404);
    } finally {
      await open.stop();
    }
  });
});

browserTests('in a browser', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    browser = await launchBrowser({ httpCredentials: { username: 'admin', password: stack.token } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('logs in and lists the webrequests queue with its completed and failed jobs', async () => {
    await page.goto(`${base}/admin/queues`);
    await page.getByText('webrequests', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(OUTPUT_DIR, 'overview.png'), fullPage: true });

    await page.goto(`${base}/admin/queues/queue/webrequests?status=failed`);
    await page.getByText(failedId).first().waitFor({ timeout: 15_000 });
    // The failed list shows why: the process's error, as the failed reason.
    await page.getByText('the dashboard should show this failure').first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(OUTPUT_DIR, 'failed.png'), fullPage: true });

    await page.goto(`${base}/admin/queues/queue/webrequests?status=completed`);
    await page.getByText(completedId).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(OUTPUT_DIR, 'completed.png'), fullPage: true });
  }, 60_000);

  it('opens one job and shows its data: the process id, the endpoint, the request URL and the outcome', async () => {
    await page.goto(`${base}/admin/queues/queue/webrequests/${completedId}`);
    await page.getByText(completedId).first().waitFor({ timeout: 15_000 });
    const data = page.getByText('dash-ok').first();
    await data.waitFor({ timeout: 15_000 });
    const text = await page.locator('body').innerText();
    expect(text).toMatch(new RegExp(`processId:\\s*"${completedId}"`));
    expect(text).toMatch(/urlId:\s*"dash-ok"/);
    expect(text).toMatch(/url:\s*"http:\/\/127\.0\.0\.1:\d+\/api\/webrequest\/dash-ok\?name=ann"/);
    expect(text).toMatch(/status:\s*"completed"/);
    const shot = join(OUTPUT_DIR, 'job.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    // The README's picture of the dashboard, kept in the repository: refreshed on request only, so
    // that a test run does not leave the working tree changed.
    const picture = join(ROOT, 'docs', 'dashboard.png');
    if (!existsSync(picture) || process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(shot, picture);
    }
  }, 60_000);
});
