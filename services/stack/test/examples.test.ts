import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { crc32, inflateSync } from 'node:zlib';
import { signWith } from '../../../libs/protection/test-support/senders';
import { corpusFile, corpusFiles } from '../test-support/corpus';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * The shipped examples (`examples/`, SPEC §5), loaded into a real stack's store with the catalog command
 * and called over HTTP, one test per endpoint of the manifest.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples');
/** The secrets the examples' manifest names, set with the catalog command as its README says. */
const GITHUB_SECRET = randomBytes(20).toString('hex');
const STRIPE_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

let stack: TestStack;
const tested = new Set<string>();

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'services', 'stack', 'dist', 'catalog-cli.js'), 'apply', EXAMPLES], {
    env: { PATH: process.env.PATH, STORE_URL: stack.env.STORE_URL },
  });
  expect(stdout).toMatch(/\d+ created, 0 updated, 0 unchanged; 2 secret\(s\) not set yet/);
  const cli = join(ROOT, 'services', 'stack', 'dist', 'catalog-cli.js');
  const env = { PATH: process.env.PATH, STORE_URL: stack.env.STORE_URL, SECRETS_KEY: stack.env.SECRETS_KEY, REDIS_URL: stack.env.REDIS_URL, QUEUE_PREFIX: stack.env.QUEUE_PREFIX };
  await setSecret(cli, 'github-webhook', GITHUB_SECRET, env);
  await promisify(execFile)(process.execPath, [cli, 'secret', 'set', 'stripe-webhook', '--from-env', 'STRIPE_SECRET'], { env: { ...env, STRIPE_SECRET } });
}, 60_000);

/** `printf %s "$VALUE" | npm run catalog -- secret set NAME`, the value on stdin. */
function setSecret(cli: string, name: string, value: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    const child = execFile(process.execPath, [cli, 'secret', 'set', name], { env }, (error) => (error ? fail(error) : done()));
    child.stdin!.end(value);
  });
}
afterAll(async () => {
  await stack?.stop();
});

function url(urlId: string, query = ''): string {
  tested.add(urlId);
  return `${stack.ingresses[0]}/api/webrequest/${urlId}${query}`;
}

it('echo answers every variable it received', async () => {
  const response = await fetch(url('echo', '?x=1&a[b]=2'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'session=abc' },
    body: '{"hello":"world"}',
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    event: { type: '$webRequest', async: false },
    user: { id: null },
    method: 'POST',
    query: { x: '1', a: { b: '2' } },
    cookies: { session: 'abc' },
    body: { hello: 'world' },
    files: [],
    rawBody: '{"hello":"world"}',
    url: expect.stringMatching(/\/api\/webrequest\/echo\?x=1&a\[b\]=2$/),
  });
});

it('the contact form answers its own CORS preflight and accepts a valid form, refusing an invalid one with 422', async () => {
  const preflight = await fetch(url('forms/contact'), { method: 'OPTIONS', headers: { origin: 'https://any.example', 'access-control-request-method': 'POST' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const ok = await fetch(url('forms/contact'), { method: 'POST', headers: form, body: 'email=ann%40example.com&message=hi' });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('access-control-allow-origin')).toBe('*');
  expect(await ok.json()).toEqual({ ok: true, received: { email: 'ann@example.com', message: 'hi' } });
  const bad = await fetch(url('forms/contact'), { method: 'POST', headers: form, body: 'email=nope' });
  expect(bad.status).toBe(422);
});

it('the newsletter sign-up gets its CORS from the endpoint: listed origins only, errors included', async () => {
  const site = 'https://www.example.com';
  const preflight = await fetch(url('forms/newsletter'), { method: 'OPTIONS', headers: { origin: site, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(site);
  expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');

  const json = { 'content-type': 'application/json', origin: site };
  const ok = await fetch(url('forms/newsletter'), { method: 'POST', headers: json, body: '{"email":"Ann@Example.com"}' });
  expect(await ok.json()).toEqual({ ok: true, subscribed: 'ann@example.com' });
  expect(ok.headers.get('access-control-allow-origin')).toBe(site);
  const bad = await fetch(url('forms/newsletter'), { method: 'POST', headers: json, body: '{"email":"x"}' });
  expect(bad.status).toBe(422);
  expect(bad.headers.get('access-control-allow-origin')).toBe(site);
  const foreign = await fetch(url('forms/newsletter'), { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: '{"email":"a@b.co"}' });
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
});

it('the tracked link sets its cookies and redirects (302) to an allowed page only', async () => {
  const first = await fetch(url('links/go', '?to=/pricing&campaign=spring'), { redirect: 'manual' });
  expect(first.status).toBe(302);
  expect(first.headers.get('location')).toBe('https://www.example.com/pricing');
  expect(first.headers.get('cache-control')).toBe('no-store');
  const cookies = first.headers.getSetCookie();
  expect(cookies).toEqual([expect.stringMatching(/^wr_campaign=spring; Path=\/;.*HttpOnly/), expect.stringMatching(/^wr_visits=1; /)]);
  expect(await first.text()).toBe('');

  const again = await fetch(url('links/go', '?to=https://docs.example.com/start'), { redirect: 'manual', headers: { cookie: 'wr_visits=4' } });
  expect(again.headers.get('location')).toBe('https://docs.example.com/start');
  expect(again.headers.getSetCookie()).toEqual([expect.stringMatching(/^wr_campaign=none;/), expect.stringMatching(/^wr_visits=5;/)]);

  for (const to of ['https://evil.example/phish', '//evil.example/x', 'javascript:alert(1)', 'http://www.example.com/plain']) {
    const refused = await fetch(url('links/go', `?to=${encodeURIComponent(to)}`), { redirect: 'manual' });
    expect({ to, location: refused.headers.get('location') }).toEqual({ to, location: 'https://www.example.com/' });
  }
});

/** Real GitHub deliveries from the repository's corpus fixtures, one per event. */
function githubDeliveries(): Array<{ event: string; body: Buffer }> {
  const wanted = ['ping', 'push', 'issues', 'pull_request', 'release'];
  return wanted.map((event) => ({ event, body: corpusFile(event, corpusFiles(event)[0]!) }));
}

/** X-Hub-Signature-256 as GitHub's own library (@octokit/webhooks-methods) computes it. */
function sign(body: Buffer, secret = GITHUB_SECRET): string {
  return signWith('github', { secret, body: body.toString('utf8') })['x-hub-signature-256']!;
}

it('the GitHub webhook runs real deliveries the endpoint verified, refuses bad or missing signatures before any run, and answers a redelivery from the first', async () => {
  for (const { event, body } of githubDeliveries()) {
    const delivery = randomUUID();
    const headers = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery };
    const accepted = await fetch(url('hooks/github'), { method: 'POST', headers: { ...headers, 'x-hub-signature-256': sign(body) }, body });
    expect(accepted.headers.get('idempotent-replayed')).toBeNull();
    expect({ event, status: accepted.status }).toEqual({ event, status: 200 });
    const payload = JSON.parse(body.toString('utf8')) as { action?: string; zen?: string; repository?: { full_name: string } };
    const answer = await accepted.json();
    if (event === 'ping') expect(answer).toEqual({ ok: true, event: 'ping', delivery, zen: payload.zen });
    else expect(answer).toMatchObject({ ok: true, event, delivery, action: payload.action ?? null, repository: payload.repository?.full_name ?? null });

    const redelivered = await fetch(url('hooks/github'), { method: 'POST', headers: { ...headers, 'x-hub-signature-256': sign(body) }, body });
    expect(redelivered.headers.get('idempotent-replayed')).toBe('true');
    expect(await redelivered.json()).toEqual(answer);

    const forged = await fetch(url('hooks/github'), { method: 'POST', headers: { ...headers, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(body, 'wrong-secret') }, body });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const tampered = Buffer.concat([body, Buffer.from(' ')]);
    expect((await fetch(url('hooks/github'), { method: 'POST', headers: { ...headers, 'x-hub-signature-256': sign(body) }, body: tampered })).status).toBe(401);
    expect((await fetch(url('hooks/github'), { method: 'POST', headers, body })).status).toBe(401);
  }
});

it('the Stripe webhook books a payment once per event id, and refuses a stale or forged signature', async () => {
  const event = { id: `evt_${randomBytes(8).toString('hex')}`, type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 4200, currency: 'eur' } } };
  const payload = JSON.stringify(event);
  const send = (headers: Record<string, string>) => fetch(url('hooks/stripe'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const first = await send(signWith('stripe', { secret: STRIPE_SECRET, body: payload }));
  expect(first.status).toBe(200);
  const answer = await first.json();
  expect(answer).toEqual({ received: true, event: event.id, booked: { amount: 4200, currency: 'eur' } });
  // Stripe's retry of the same event: signed anew, same id: the first answer, and no second process.
  const retry = await send(signWith('stripe', { secret: STRIPE_SECRET, body: payload }));
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(await retry.json()).toEqual(answer);
  const endpoint = (await stack.admin<{ items: Array<{ id: string; urlId: string }> }>('GET', '/webrequests?limit=500')).items.find((w) => w.urlId === 'hooks/stripe')!;
  const records = await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${endpoint.id}`);
  expect(records.items.map((r) => r.id)).toEqual([retry.headers.get('x-process-id')]);
  const stale = await send(signWith('stripe', { secret: STRIPE_SECRET, body: payload, timestampSeconds: Math.floor(Date.now() / 1000) - 600 }));
  expect(stale.status).toBe(401);
  expect((await send(signWith('stripe', { secret: 'whsec_not-the-secret', body: payload }))).status).toBe(401);
  expect((await send({})).status).toBe(401);
});

it('the slow report answers at once with a process id, and its record completes with the rows and logs', async () => {
  const started = Date.now();
  const response = await fetch(url('reports/slow', '?async=true&seconds=1'));
  expect(response.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(900);
  const record = await stack.waitForProcess(response.headers.get('x-process-id')!);
  expect(record).toMatchObject({ status: 'completed', async: true, output: { total: 15, rows: expect.any(Array) } });
  expect((record.logs as Array<{ message: string }>).map((l) => l.message)).toEqual(['building the report for 1s', 'report done']);
});

/** Reads a PNG's chunks, checking each CRC. */
function pngChunks(png: Buffer): Map<string, Buffer> {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks = new Map<string, Buffer>();
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + length);
    expect({ type, crc: png.readUInt32BE(at + 8 + length) }).toEqual({ type, crc: crc32(png.subarray(at + 4, at + 8 + length)) });
    chunks.set(type, data);
    at += 12 + length;
  }
  return chunks;
}

it('the colour swatch answers a valid PNG of the size and colour asked for, as image/png bytes', async () => {
  const response = await fetch(url('images/swatch', '?color=ff8000&size=5'));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await response.arrayBuffer());
  expect(Number(response.headers.get('content-length'))).toBe(png.length);
  const chunks = pngChunks(png);
  expect([...chunks.keys()]).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks.get('IHDR')!;
  expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([5, 5, 8, 2]);
  const pixels = inflateSync(chunks.get('IDAT')!);
  const row = Buffer.from([0, ...Array.from({ length: 5 }, () => [0xff, 0x80, 0x00]).flat()]);
  expect(pixels).toEqual(Buffer.concat(Array.from({ length: 5 }, () => row)));

  // Out-of-range input falls back to the defaults rather than failing or growing without bound.
  const clamped = pngChunks(Buffer.from(await (await fetch(url('images/swatch', '?color=nope&size=5000'))).arrayBuffer()));
  expect(clamped.get('IHDR')!.readUInt32BE(0)).toBe(64);
});

it('has a test above for every endpoint the examples manifest ships', () => {
  const manifest = JSON.parse(readFileSync(join(EXAMPLES, 'webrequests.json'), 'utf8')) as { webrequests: Array<{ urlId: string }> };
  expect([...tested].sort()).toEqual(manifest.webrequests.map((w) => w.urlId).sort());
});
