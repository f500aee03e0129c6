import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { haveChromium, launchBrowser } from '../test-support/browser';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * End to end: the web console at /console (SPEC §11) in a real headless Chromium, driven through its
 * accessible names only, against a real stack. With CONSOLE_SCREENSHOTS=1 it also refreshes the
 * docs/console-*.png pictures (1280×800).
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1';
const browserTests = haveChromium('the console browser tests') ? describe : describe.skip;

let stack: TestStack;
let base: string;

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
  base = stack.ingresses[0]!;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('serving', () => {
  it('serves the page without credentials, with no inline script and the operator pages\' CSP', async () => {
    const response = await fetch(`${base}/console/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    const bare = await fetch(`${base}/console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/console/']);
    expect(html).toMatch(/<script type="module" src="\/console\/main\.js"><\/script>/);
    expect(html).not.toMatch(/<script>/);
    const script = await fetch(`${base}/console/main.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    // Bundled: nothing is fetched from another site.
    expect(await script.text()).not.toMatch(/https:\/\/(cdn|unpkg|fonts)\./);
  });

  it('is off (404) when ADMIN_TOKEN is unset', async () => {
    const open = await startTestStack({ workers: 0, env: { ADMIN_TOKEN: '' } });
    try {
      expect((await fetch(`${open.ingresses[0]}/console/`)).status).toBe(404);
    } finally {
      await open.stop();
    }
  });
});

browserTests('in a browser', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const problems: string[] = [];
  let scenarioId: string;
  let endpointId: string;

  const shot = async (name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs', `console-${name}.png`) });
  };
  const editorText = async (source: string) => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    // One insertion, not key presses: the editor's bracket closing and indenting would change the text.
    await page.keyboard.insertText(source);
  };

  beforeAll(async () => {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setViewportSize({ width: 1280, height: 800 });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // The browser reports every non-2xx answer as a console error; the 400s and 401s here are the
      // API's refusals that the test provokes on purpose, shown by the page.
      if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[01]/.test(message.text())) {
        problems.push(`console.error: ${message.text()}`);
      }
      if (/Content Security Policy|Refused to/.test(message.text())) problems.push(`csp: ${message.text()}`);
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  it('refuses a wrong token with the API\'s message, then signs in with the admin token', async () => {
    await page.goto(`${base}/console/`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('missing or wrong admin token').waitFor();
    await shot('sign-in');
    await page.getByLabel('Admin token').fill(stack.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const name of ['Endpoints', 'Scenarios', 'Secrets', 'Processes']) await page.getByRole('link', { name, exact: true }).waitFor();
    expect(await page.evaluate<number>('Object.keys(localStorage).length')).toBe(0);
  }, 30_000);

  it('shows a scenario\'s syntax error at its line, marks the line, and saves the fixed scenario', async () => {
    await page.getByRole('link', { name: 'Scenarios', exact: true }).click();
    await page.getByRole('link', { name: 'New scenario' }).click();
    await page.getByLabel('Name', { exact: true }).fill('greeter');
    await editorText("console.log('greeting', query.name);\nreturn { greeting: };\n");
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.getByRole('alert');
    await error.getByText('(line 2)').waitFor();
    expect(await error.innerText()).toMatch(/^Line 2: /);
    expect(await page.locator('.cm-line.cm-error-line').innerText()).toBe('return { greeting: };');
    await shot('scenario-error');

    await editorText("console.log('greeting', query.name);\nreturn { greeting: 'hi ' + query.name };\n");
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText(/^Saved at/).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    scenarioId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    const saved = await stack.admin<{ name: string; source: string }>('GET', `/scenarios/${scenarioId}`);
    expect(saved).toMatchObject({ name: 'greeter', source: "console.log('greeting', query.name);\nreturn { greeting: 'hi ' + query.name };\n" });
    await shot('scenario');
  }, 30_000);

  it('creates an endpoint for it, showing a refused field next to that field', async () => {
    await page.getByRole('link', { name: 'Endpoints', exact: true }).click();
    await page.getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Name', { exact: true }).fill('greeter');
    await page.getByLabel('URL id').fill('bad id!');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.field', { has: page.getByLabel('URL id') }).getByRole('alert').getByText('must be segments').waitFor();

    await page.getByLabel('URL id').fill('greeter');
    await page.getByLabel('Scenario').selectOption({ label: 'greeter' });
    await page.getByLabel('Max concurrent').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Endpoint greeter' }).waitFor();
    endpointId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    expect(await stack.admin('GET', `/webrequests/${endpointId}`)).toMatchObject({ urlId: 'greeter', scriptId: scenarioId, status: 'active', maxConcurrent: 5 });
    await page.getByRole('link', { name: `${base}/api/webrequest/greeter` }).waitFor();
    expect(await page.getByLabel('curl').innerText()).toContain(`curl -X POST '${base}/api/webrequest/greeter'`);

    // The scenario's page names the endpoints that run it.
    await page.goto(`${base}/console/#/scenarios/${scenarioId}`);
    await page.getByRole('link', { name: 'greeter', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Endpoints', exact: true }).click();
    await page.getByRole('table', { name: 'Endpoints' }).getByRole('link', { name: 'greeter' }).first().waitFor();
    await page.goto(`${base}/console/#/endpoints/${endpointId}`);
    await page.getByRole('heading', { name: 'Endpoint greeter' }).waitFor();
    await shot('endpoint');
  }, 30_000);

  it('sends a test request and shows the status, headers, JSON body, logs and the test process', async () => {
    await page.getByLabel('Query').fill('name=ann');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByRole('region', { name: 'Answer' });
    await answer.waitFor({ timeout: 15_000 });
    expect(await answer.getByRole('heading', { level: 3 }).innerText()).toBe('Answer: 200');
    expect(JSON.parse(await answer.getByLabel('Answer body').innerText())).toEqual({ greeting: 'hi ann' });
    expect(await answer.getByLabel('Answer headers').innerText()).toMatch(/"content-type": "application\/json/);
    expect(await answer.getByLabel('Logs').innerText()).toMatch(/log greeting ann/);
    await page.getByRole('heading', { name: 'Test', exact: true }).scrollIntoViewIfNeeded();
    await shot('endpoint-test');

    // The GitHub preset: a real ping delivery of the corpus, as GitHub sends it.
    await page.getByRole('button', { name: 'GitHub ping' }).click();
    expect(await page.getByLabel('Method').inputValue()).toBe('POST');
    expect(await page.getByLabel('Headers', { exact: true }).inputValue()).toMatch(/^Content-Type: application\/json\nX-GitHub-Event: ping\nX-GitHub-Delivery: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(await page.getByLabel('Body', { exact: true }).inputValue())).toMatchObject({ zen: 'Anything added dilutes everything else.', hook_id: 109948940 });
    const firstProcess = await answer.getByRole('link', { name: /^Test process / }).innerText();
    await page.getByRole('button', { name: 'Send' }).click();
    await answer.getByRole('link', { name: /^Test process / }).filter({ hasNotText: firstProcess }).waitFor({ timeout: 15_000 });
    expect(await answer.getByRole('heading', { level: 3 }).innerText()).toBe('Answer: 200');
    await answer.getByRole('link', { name: /^Test process / }).click();
    await page.getByText(/test run/).waitFor();
    expect(JSON.parse(await page.getByLabel('Input').innerText())).toMatchObject({ headers: { 'x-github-event': 'ping' } });
  }, 30_000);

  it('lists a new process without a reload, opens it, and replays it to a new process naming the original', async () => {
    await page.getByRole('link', { name: 'Processes', exact: true }).click();
    await page.getByRole('table', { name: 'Processes' }).waitFor();
    const answer = await fetch(`${base}/api/webrequest/greeter?name=bob`);
    expect(await answer.json()).toEqual({ greeting: 'hi bob' });
    const listed = await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${endpointId}`);
    const id = listed.items[0]!.id;
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: id }) });
    await row.getByText('completed').waitFor({ timeout: 10_000 });
    await shot('processes');
    // The filters ask the API again: no failed process of this endpoint, then the completed one again.
    await page.getByLabel('Status').selectOption('failed');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Status').selectOption('completed');
    await page.getByLabel('Endpoint').selectOption({ label: 'greeter' });
    await row.waitFor();
    // A time range in the future lists nothing; cleared, the process is back.
    await page.getByLabel('From').fill('2999-01-01T00:00');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('From').fill('');
    await row.waitFor();

    await row.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: `Process ${id}` }).waitFor();
    expect(JSON.parse(await page.getByLabel('Output').innerText())).toMatchObject({ greeting: 'hi bob' });
    expect(await page.getByLabel('Logs').innerText()).toMatch(/greeting bob/);
    expect(await page.getByRole('link', { name: 'Job on the Bull dashboard' }).getAttribute('href')).toBe(`/admin/queues/queue/webrequests/${id}`);
    await shot('process');

    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('replayOf').waitFor();
    const replayId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    expect(replayId).not.toBe(id);
    await page.getByRole('link', { name: id }).waitFor();
    await page.locator('.status-completed').first().waitFor({ timeout: 15_000 });
    expect(await stack.admin('GET', `/processes/${replayId}`)).toMatchObject({ replayOf: id, status: 'completed' });

    // The endpoints list shows each endpoint's last process (the replay), linked to it.
    await page.getByRole('link', { name: 'Endpoints', exact: true }).click();
    const endpointRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'greeter', exact: true }) }).first();
    const last = endpointRow.getByRole('link', { name: 'Last process: completed' });
    expect(await last.getAttribute('href')).toBe(`#/processes/${encodeURIComponent(replayId)}`);
    await shot('endpoints');
  }, 40_000);

  it('shows a failed process\'s error with its line', async () => {
    const failing = await stack.endpoint('console-fails', "const x = 1;\nthrow new Error('boom at two');");
    const answer = await fetch(failing.url, { method: 'POST' });
    expect(answer.status).toBe(500);
    const { processId } = ((await answer.json()) as { error: { processId: string } }).error;
    await page.goto(`${base}/console/#/processes/${processId}`);
    const error = page.getByRole('alert');
    await error.getByText('boom at two').waitFor();
    expect(await error.innerText()).toMatch(/^scenario_failed at line 2: Error: boom at two \(line 2, column \d+\)/);
  }, 30_000);

  it('stops a running async process (which deletes its record) from its page', async () => {
    const sleeper = await stack.endpoint('console-sleeper', 'await sleep(10000); return { woke: true };');
    const accepted = await fetch(`${sleeper.url}?async=true`, { method: 'POST' });
    expect(accepted.status).toBe(200);
    const id = accepted.headers.get('x-process-id')!;
    await stack.waitForProcess(id, (r) => r.status === 'running');
    await page.getByRole('link', { name: 'Processes', exact: true }).click();
    await page.getByRole('link', { name: id }).click();
    await page.locator('.status-running').waitFor();
    await page.getByText('Stop stops the run, then deletes its record').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('status').getByText(`Process ${id} was stopped and its record deleted.`).waitFor({ timeout: 10_000 });
    await expect(stack.admin('GET', `/processes/${id}`)).rejects.toThrow(/404/);
  }, 40_000);

  it('sets and deletes a secret without ever showing its value', async () => {
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.getByLabel('Secret name').fill('console-key');
    await page.getByLabel('Value').fill('s3cret-value');
    await page.getByRole('button', { name: 'Set secret' }).click();
    await page.getByRole('cell', { name: 'console-key', exact: true }).waitFor();
    expect(await page.getByLabel('Value').inputValue()).toBe('');
    expect(await page.locator('body').innerText()).not.toContain('s3cret-value');
    await shot('secrets');
    await page.getByRole('button', { name: 'Delete console-key' }).click();
    await page.getByRole('status').getByText('Secret console-key deleted.').waitFor();
    await page.getByRole('cell', { name: 'console-key', exact: true }).waitFor({ state: 'detached' });
  }, 30_000);

  it('fits a 390×844 phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const section of ['endpoints', 'processes', `endpoints/${endpointId}`, `scenarios/${scenarioId}`]) {
        await page.goto(`${base}/console/#/${section}`);
        await page.getByRole('link', { name: 'Processes', exact: true }).waitFor();
        await page.waitForLoadState('networkidle');
        expect({ section, width: await page.evaluate<number>('document.documentElement.scrollWidth') }).toEqual({ section, width: 390 });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }, 30_000);

  it('signs out, forgetting the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByLabel('Admin token').waitFor();
  }, 20_000);
});
