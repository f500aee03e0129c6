import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HmacPreset } from '@webrequests/contracts';
import { signWith, type WebhookProvider } from '../../../libs/protection/test-support/senders';
import { corpusPayloads, type CorpusPayload } from '../test-support/corpus';
import { startTestStack, type TestStack } from '../test-support/harness';
import { scrape, valueOf } from '../test-support/prometheus';
import { signManyWith } from '../test-support/sign-many';

/**
 * End to end: the `auth` and `allowIps` of an endpoint (SPEC §10), checked by the ingress before any
 * process exists. Webhook deliveries are signed by the providers' own libraries (`signWith`), so the
 * ingress is held to what Stripe, GitHub, Standard Webhooks and Svix really send. Every refusal is
 * checked for its status, its metric, no process record and, at the end, its log line, no run on a
 * worker, and no secret or signature in any log.
 */

/** What every endpoint here runs: it shows what passed and a field of the body it got. */
const SCENARIO = `return {
  auth: event.auth ?? null,
  item: body.item ?? null,
  action: body.action ?? null,
  event: headers['x-github-event'] ?? null,
};`;

let stack: TestStack;
/** A stack whose ingress believes X-Forwarded-For from a loopback proxy. */
let proxied: TestStack;

/** An endpoint of one of the stacks. */
interface Target {
  stack: TestStack;
  urlId: string;
  id: string;
}

interface Sent {
  body: string | Buffer;
  headers?: Record<string, string>;
  /** Which ingress of the target's stack to call; default the first. */
  ingress?: number;
}

interface Answer {
  status: number;
  json: { auth?: unknown; item?: unknown; action?: unknown; event?: unknown; error?: { code: string } };
  requestId: string;
  headers: Headers;
}

/** Every refusal caused here, checked against the logs at the end. */
const refusals: Array<{ stack: TestStack; requestId: string; reason: string }> = [];
const accepted: Array<{ stack: TestStack; requestId: string }> = [];
/** Every secret value and credential or signature text sent: none may appear in a log. */
const confidential = new Set<string>();
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'x-signature', 'x-hub-signature-256', 'stripe-signature', 'x-slack-signature', 'x-shopify-hmac-sha256', 'webhook-signature', 'svix-signature'];

beforeAll(async () => {
  const started = await Promise.allSettled([startTestStack({ ingresses: 2, workers: 1 }), startTestStack({ workers: 1, env: { TRUST_PROXY: 'loopback' } })]);
  [stack, proxied] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined!));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
}, 30_000);
afterAll(async () => {
  await Promise.all([stack?.stop(), proxied?.stop()]);
});

function randomSecret(): string {
  return randomBytes(24).toString('hex');
}

/** A Standard Webhooks (and Svix) secret: `whsec_` and the base64 of the key. */
function whsecSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

async function putSecret(name: string, value: string): Promise<void> {
  confidential.add(value);
  await stack.admin('PUT', `/secrets/${name}`, { value });
}

async function endpointOf(on: TestStack, urlId: string, protection: Record<string, unknown>): Promise<Target> {
  const { id } = await on.endpoint(urlId, SCENARIO, protection);
  return { stack: on, urlId, id };
}

/** A JSON body with an item to find in the answer and a byte to change. */
function newBody(): string {
  return JSON.stringify({ item: `order-${randomUUID()}`, total: 42 });
}

/** The body with one byte changed, still JSON, so that the refusal is the signature's. */
function tampered(body: string): string {
  expect(body).toContain('"total":42');
  return body.replace('"total":42', '"total":43');
}

function without(headers: Record<string, string>, name: string): Record<string, string> {
  expect(headers).toHaveProperty(name);
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
}

async function send(target: Target, { body, headers = {}, ingress = 0 }: Sent): Promise<Answer> {
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers[name];
    // The signature itself, without its scheme words, prefixes and timestamps (short, and not secret).
    for (const part of value?.split(/[ ,=]/) ?? []) if (part.length >= 16) confidential.add(part);
  }
  const response = await fetch(`${target.stack.ingresses[ingress]}/api/webrequest/${target.urlId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {}, requestId: response.headers.get('x-request-id')!, headers: response.headers };
}

async function processCount(target: Target): Promise<number> {
  return (await target.stack.admin<{ items: unknown[] }>('GET', `/processes?webrequestId=${target.id}&limit=500`)).items.length;
}

/** Sends, and expects a 200 from the scenario that saw `auth` pass and the body's item. */
async function expectAccepted(target: Target, sent: Sent, auth: unknown): Promise<Answer> {
  const answer = await send(target, sent);
  const item = (JSON.parse(sent.body.toString()) as { item?: string }).item ?? null;
  expect({ status: answer.status, answer: answer.json }).toEqual({ status: 200, answer: expect.objectContaining({ auth, item }) });
  accepted.push({ stack: target.stack, requestId: answer.requestId });
  return answer;
}

/** Sends, and expects a 401 (403 for `ip_not_allowed`) counted under `reason`, with no process recorded. */
async function expectRefused(target: Target, sent: Sent, reason: string): Promise<Answer> {
  const status = reason === 'ip_not_allowed' ? 403 : 401;
  const metrics = target.stack.metrics[sent.ingress ?? 0]!;
  const labels = { url_id: target.urlId, reason };
  const [processesBefore, metricsBefore] = await Promise.all([processCount(target), scrape(metrics)]);
  const answer = await send(target, sent);
  const [processesAfter, metricsAfter] = await Promise.all([processCount(target), scrape(metrics)]);
  expect({ status: answer.status, code: answer.json.error?.code, processId: answer.headers.get('x-process-id'), counted: valueOf(metricsAfter, 'webrequests_refused_requests_total', labels) - valueOf(metricsBefore, 'webrequests_refused_requests_total', labels) }).toEqual({
    status,
    code: status === 401 ? 'unauthorized' : 'forbidden',
    processId: null,
    counted: 1,
  });
  expect(processesAfter).toBe(processesBefore);
  refusals.push({ stack: target.stack, requestId: answer.requestId, reason });
  return answer;
}

interface PresetCase {
  title: string;
  preset: Exclude<HmacPreset, 'custom'>;
  sender: WebhookProvider;
  signedBy: string;
  signatureHeader: string;
  timestamped: boolean;
  newSecret: () => string;
}

const PRESET_CASES: PresetCase[] = [
  { title: 'github', preset: 'github', sender: 'github', signedBy: '@octokit/webhooks-methods', signatureHeader: 'x-hub-signature-256', timestamped: false, newSecret: randomSecret },
  { title: 'stripe', preset: 'stripe', sender: 'stripe', signedBy: 'stripe', signatureHeader: 'stripe-signature', timestamped: true, newSecret: () => `whsec_${randomSecret()}` },
  { title: 'slack', preset: 'slack', sender: 'slack', signedBy: 'Slack’s documented scheme', signatureHeader: 'x-slack-signature', timestamped: true, newSecret: randomSecret },
  { title: 'shopify', preset: 'shopify', sender: 'shopify', signedBy: 'Shopify’s documented scheme', signatureHeader: 'x-shopify-hmac-sha256', timestamped: false, newSecret: randomSecret },
  { title: 'standard-webhooks', preset: 'standard-webhooks', sender: 'standard-webhooks', signedBy: 'standardwebhooks', signatureHeader: 'webhook-signature', timestamped: true, newSecret: whsecSecret },
  { title: 'standard-webhooks, with Svix’s headers', preset: 'standard-webhooks', sender: 'svix', signedBy: 'svix', signatureHeader: 'svix-signature', timestamped: true, newSecret: whsecSecret },
];

describe.each(PRESET_CASES.map((c) => [c.title, c] as const))('the hmac preset %s', (_title, c) => {
  const secret = c.newSecret();
  const name = `hmac-${c.sender}`;
  const passed = { type: 'hmac', preset: c.preset };
  let target: Target;

  beforeAll(async () => {
    await putSecret(name, secret);
    target = await endpointOf(stack, `auth/${c.sender}`, { auth: { type: 'hmac', preset: c.preset, secret: name } });
  });

  it(`runs a delivery signed by ${c.signedBy}, and the scenario sees event.auth and the body`, async () => {
    const body = newBody();
    const before = await processCount(target);
    await expectAccepted(target, { body, headers: signWith(c.sender, { secret, body }) }, passed);
    expect(await processCount(target)).toBe(before + 1);
  });

  it('refuses the delivery with one byte of its body changed', async () => {
    const body = newBody();
    await expectRefused(target, { body: tampered(body), headers: signWith(c.sender, { secret, body }) }, 'bad_signature');
  });

  it('refuses a delivery signed with another secret', async () => {
    const body = newBody();
    const other = c.newSecret();
    confidential.add(other);
    await expectRefused(target, { body, headers: signWith(c.sender, { secret: other, body }) }, 'bad_signature');
  });

  if (c.timestamped) {
    it('refuses an authentic delivery signed 10 minutes ago', async () => {
      const body = newBody();
      await expectRefused(target, { body, headers: signWith(c.sender, { secret, body, timestampSeconds: Math.floor(Date.now() / 1000) - 600 }) }, 'stale_timestamp');
    });
  }

  it(`refuses a delivery without ${c.signatureHeader}`, async () => {
    const body = newBody();
    await expectRefused(target, { body, headers: without(signWith(c.sender, { secret, body }), c.signatureHeader) }, 'missing_credentials');
  });
});

describe('the other schemes', () => {
  it('accepts one of several Standard Webhooks signatures (a sender rotating its secret), and only the right one', async () => {
    const secret = whsecSecret();
    const retired = whsecSecret();
    confidential.add(retired);
    await putSecret('hmac-several', secret);
    const target = await endpointOf(stack, 'auth/several', { auth: { type: 'hmac', preset: 'standard-webhooks', secret: 'hmac-several' } });
    const body = newBody();
    const delivery = { body, id: `msg_${randomUUID()}`, timestampSeconds: Math.floor(Date.now() / 1000) };
    const right = signWith('standard-webhooks', { ...delivery, secret });
    const old = signWith('standard-webhooks', { ...delivery, secret: retired });
    await expectAccepted(target, { body, headers: { ...right, 'webhook-signature': `${old['webhook-signature']} ${right['webhook-signature']}` } }, { type: 'hmac', preset: 'standard-webhooks' });
    await expectRefused(target, { body, headers: old }, 'bad_signature');
  });

  it('checks a custom HMAC (sha512, base64, "sha512=" prefix) over the raw body', async () => {
    const secret = randomSecret();
    await putSecret('hmac-custom', secret);
    const target = await endpointOf(stack, 'auth/custom', { auth: { type: 'hmac', preset: 'custom', secret: 'hmac-custom', header: 'X-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=' } });
    const sign = (body: string, key = secret) => ({ 'x-signature': `sha512=${createHmac('sha512', key).update(body).digest('base64')}` });
    const body = newBody();
    await expectAccepted(target, { body, headers: sign(body) }, { type: 'hmac', preset: 'custom' });
    await expectRefused(target, { body: tampered(body), headers: sign(body) }, 'bad_signature');
    const other = randomSecret();
    confidential.add(other);
    await expectRefused(target, { body, headers: sign(body, other) }, 'bad_signature');
    await expectRefused(target, { body, headers: { 'x-signature': sign(body)['x-signature'].slice('sha512='.length) } }, 'malformed_signature');
    await expectRefused(target, { body }, 'missing_credentials');
  });

  it('checks a Bearer token', async () => {
    const secret = randomSecret();
    await putSecret('bearer', secret);
    const target = await endpointOf(stack, 'auth/bearer', { auth: { type: 'bearer', secret: 'bearer' } });
    await expectAccepted(target, { body: newBody(), headers: { authorization: `Bearer ${secret}` } }, { type: 'bearer' });
    await expectRefused(target, { body: newBody(), headers: { authorization: `Bearer ${randomSecret()}` } }, 'wrong_credentials');
    await expectRefused(target, { body: newBody(), headers: { authorization: `Basic ${Buffer.from(`x:${secret}`).toString('base64')}` } }, 'missing_credentials');
    await expectRefused(target, { body: newBody() }, 'missing_credentials');
  });

  it('checks an X-Api-Key header', async () => {
    const secret = randomSecret();
    await putSecret('api-key', secret);
    const target = await endpointOf(stack, 'auth/header', { auth: { type: 'header', header: 'X-Api-Key', secret: 'api-key' } });
    await expectAccepted(target, { body: newBody(), headers: { 'x-api-key': secret } }, { type: 'header' });
    await expectRefused(target, { body: newBody(), headers: { 'x-api-key': randomSecret() } }, 'wrong_credentials');
    await expectRefused(target, { body: newBody(), headers: { authorization: `Bearer ${secret}` } }, 'missing_credentials');
  });

  it('checks Basic credentials, and asks for them with WWW-Authenticate on every 401', async () => {
    const secret = randomSecret();
    await putSecret('basic', secret);
    const target = await endpointOf(stack, 'auth/basic', { auth: { type: 'basic', username: 'shop', secret: 'basic' } });
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    await expectAccepted(target, { body: newBody(), headers: basic('shop', secret) }, { type: 'basic' });
    const refused = [
      await expectRefused(target, { body: newBody(), headers: basic('shop', randomSecret()) }, 'wrong_credentials'),
      await expectRefused(target, { body: newBody(), headers: basic('other', secret) }, 'wrong_credentials'),
      await expectRefused(target, { body: newBody() }, 'missing_credentials'),
    ];
    for (const answer of refused) expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
  });

  it('fails closed when the endpoint names a secret that was never set', async () => {
    const target = await endpointOf(stack, 'auth/unset', { auth: { type: 'hmac', preset: 'github', secret: 'never-put' } });
    const body = newBody();
    for (const secret of ['', randomSecret()]) await expectRefused(target, { body, headers: secret ? signWith('github', { secret, body }) : {} }, 'secret_missing');
  });
});

describe('allowIps', () => {
  it('refuses a loopback caller with 403 when only 10.0.0.0/8 may call, before checking its valid credentials', async () => {
    const secret = randomSecret();
    await putSecret('ips-bearer', secret);
    const target = await endpointOf(stack, 'ips/ten', { allowIps: ['10.0.0.0/8'], auth: { type: 'bearer', secret: 'ips-bearer' } });
    await expectRefused(target, { body: newBody(), headers: { authorization: `Bearer ${secret}` } }, 'ip_not_allowed');
    // Without TRUST_PROXY the caller's own X-Forwarded-For is ignored: it cannot claim an address.
    await expectRefused(target, { body: newBody(), headers: { authorization: `Bearer ${secret}`, 'x-forwarded-for': '10.1.2.3' } }, 'ip_not_allowed');
  });

  it('accepts a loopback caller when 127.0.0.0/8 and ::1 may call', async () => {
    const target = await endpointOf(stack, 'ips/loopback', { allowIps: ['127.0.0.0/8', '::1'] });
    await expectAccepted(target, { body: newBody() }, null);
  });

  it('with TRUST_PROXY=loopback, goes by the address the proxy forwarded', async () => {
    const target = await endpointOf(proxied, 'ips/ten', { allowIps: ['10.0.0.0/8'] });
    await expectAccepted(target, { body: newBody(), headers: { 'x-forwarded-for': '10.1.2.3' } }, null);
    await expectRefused(target, { body: newBody(), headers: { 'x-forwarded-for': '192.0.2.1' } }, 'ip_not_allowed');
    // The client wrote 10.1.2.3 itself; the proxy appended the address it really came from.
    await expectRefused(target, { body: newBody(), headers: { 'x-forwarded-for': '10.1.2.3, 192.0.2.1' } }, 'ip_not_allowed');
    await expectRefused(target, { body: newBody() }, 'ip_not_allowed');
  });
});

describe('secret rotation', () => {
  it('refuses the old secret and accepts the new one on both ingresses within a second of the PUT', async () => {
    const [oldSecret, newSecret] = [randomSecret(), randomSecret()];
    await putSecret('rotating', oldSecret);
    const target = await endpointOf(stack, 'auth/rotating', { auth: { type: 'hmac', preset: 'github', secret: 'rotating' } });
    const body = newBody();
    const signedOld = signWith('github', { secret: oldSecret, body });
    const signedNew = signWith('github', { secret: newSecret, body });
    expect(stack.ingresses).toHaveLength(2);
    // Each ingress holds the old value in its cache (for a minute unless told of a change).
    for (const ingress of [0, 1]) {
      await expectAccepted(target, { body, headers: signedOld, ingress }, { type: 'hmac', preset: 'github' });
      await expectRefused(target, { body, headers: signedNew, ingress }, 'bad_signature');
    }

    await putSecret('rotating', newSecret);
    const changedAt = Date.now();
    const tookMs = await Promise.all(
      [0, 1].map(async (ingress) => {
        while ((await send(target, { body, headers: signedNew, ingress })).status !== 200 && Date.now() - changedAt < 5000) await new Promise((r) => setTimeout(r, 25));
        return Date.now() - changedAt;
      }),
    );
    expect(tookMs.every((ms) => ms < 1000)).toBe(true);
    for (const ingress of [0, 1]) {
      await expectRefused(target, { body, headers: signedOld, ingress }, 'bad_signature');
      await expectAccepted(target, { body, headers: signedNew, ingress }, { type: 'hmac', preset: 'github' });
    }
  });
});

/**
 * The first delivery of each event type (the corpus's one with non-ASCII text among them) and its
 * largest: 61 of its 110. Signing is a child process per delivery, about 0.15 s of CPU each, so all of
 * them took 10 to 18 s of this file's time on a two-core machine; a second payload of an event tells
 * the guard nothing new.
 */
function corpusSample(all: readonly CorpusPayload[]): CorpusPayload[] {
  const largest = all.reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a));
  const firsts = all.filter((p, i) => i === 0 || all[i - 1]!.event !== p.event);
  return firsts.includes(largest) ? firsts : [...firsts, largest];
}

describe('the GitHub corpus', () => {
  it('runs a real delivery of every event type signed by @octokit/webhooks-methods with GitHub’s headers, and refuses one tampered', async () => {
    const secret = randomSecret();
    await putSecret('github-corpus', secret);
    const target = await endpointOf(stack, 'auth/github-corpus', { auth: { type: 'hmac', preset: 'github', secret: 'github-corpus' } });
    const corpus = corpusPayloads();
    const payloads = corpusSample(corpus);
    expect(new Set(payloads.map((p) => p.event))).toEqual(new Set(corpus.map((p) => p.event)));
    expect(payloads.some((p) => p.bytes.some((byte) => byte >= 0x80))).toBe(true);
    const bodies = payloads.map((p) => p.bytes.toString('utf8'));
    // signWith signs text; every payload is UTF-8, so its text is its exact bytes.
    expect(payloads.filter((p, i) => !Buffer.from(bodies[i]!, 'utf8').equals(p.bytes)).map((p) => p.file)).toEqual([]);
    const signed = await signManyWith('github', bodies.map((body) => ({ secret, body, id: randomUUID() })));
    const headersOf = (i: number) => ({
      'user-agent': 'GitHub-Hookshot/a1b2c3d',
      'x-github-event': payloads[i]!.event,
      'x-github-hook-id': '292430182',
      ...signed[i]!,
    });

    const seen: unknown[] = new Array(payloads.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < payloads.length; i = next++) {
        const answer = await send(target, { body: payloads[i]!.bytes, headers: headersOf(i) });
        seen[i] = { delivery: `${payloads[i]!.event}/${payloads[i]!.file}`, status: answer.status, event: answer.json.event, action: answer.json.action, auth: answer.json.auth };
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(seen).toEqual(
      payloads.map((p, i) => ({
        delivery: `${p.event}/${p.file}`,
        status: 200,
        event: p.event,
        action: (JSON.parse(bodies[i]!) as { action?: string }).action ?? null,
        auth: { type: 'hmac', preset: 'github' },
      })),
    );
    expect(await processCount(target)).toBe(payloads.length);

    const push = payloads.findIndex((p) => p.event === 'push');
    const bytes = Buffer.from(payloads[push]!.bytes);
    // The first letter of the first string value, its case flipped: still JSON, one byte off.
    const value = /": ?"[a-z]/i.exec(bytes.toString('latin1'))!;
    const at = value.index + value[0].length - 1;
    bytes[at] = bytes[at]! ^ 0x20;
    await expectRefused(target, { body: bytes, headers: headersOf(push) }, 'bad_signature');
  }, 50_000);
});

describe('what a refusal leaves behind', () => {
  function logLines(of: TestStack, service: 'ingress' | 'worker'): Array<Record<string, unknown>> {
    const dir = join(of.dir, 'logs');
    return readdirSync(dir)
      .filter((file) => file.startsWith(`${service}-`))
      .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  function logText(of: TestStack): string {
    const dir = join(of.dir, 'logs');
    return readdirSync(dir)
      .map((file) => readFileSync(join(dir, file), 'utf8'))
      .join('\n');
  }

  it('logs each refusal on the ingress with its reason and request id, and no worker finished a process for one', async () => {
    expect(refusals.length).toBeGreaterThan(30);
    // The worker's lines of the accepted requests show the check can see them: wait for the last ones.
    const until = Date.now() + 5000;
    const finishedOn = () => new Set([stack, proxied].flatMap((s) => logLines(s, 'worker').filter((l) => l.message === 'process finished').map((l) => l.requestId)));
    let finished = finishedOn();
    while (!accepted.every((a) => finished.has(a.requestId)) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      finished = finishedOn();
    }
    expect(accepted.filter((a) => !finished.has(a.requestId))).toEqual([]);

    expect(refusals.filter((r) => finished.has(r.requestId))).toEqual([]);
    const refusedLines = new Map([stack, proxied].flatMap((s) => logLines(s, 'ingress').filter((l) => l.message === 'request refused').map((l) => [l.requestId, l] as const)));
    expect(refusals.map((r) => ({ requestId: r.requestId, reason: refusedLines.get(r.requestId)?.reason, detail: typeof refusedLines.get(r.requestId)?.detail }))).toEqual(
      refusals.map((r) => ({ requestId: r.requestId, reason: r.reason, detail: 'string' })),
    );
  });

  it('writes no secret value and no credential or signature text into any log', () => {
    expect(confidential.size).toBeGreaterThan(40);
    const text = `${logText(stack)}\n${logText(proxied)}`;
    expect([...confidential].filter((value) => text.includes(value))).toEqual([]);
  });
});
