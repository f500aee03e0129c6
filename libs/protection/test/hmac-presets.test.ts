import { randomBytes } from 'node:crypto';
import type { EndpointAuth, HmacPreset } from '@webrequests/contracts';
import { verifyAuth } from '@webrequests/protection';
import { signWith, type WebhookProvider } from '../test-support/senders';
import { expectRejected, inboundRequest } from './auth-helpers';

/** A Standard Webhooks-shaped secret (`whsec_` + base64), which every provider's library takes as its key. */
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const NOW_S = 1_767_000_000;
const NOW_MS = NOW_S * 1000 + 400;
const BODY = '{"id":"evt_1","type":"ping","text":"héllo"}';

interface ProviderCase {
  preset: Exclude<HmacPreset, 'custom'>;
  provider: WebhookProvider;
  /** The header carrying the signature, lower-case. */
  signature: string;
  /** The header carrying the signed timestamp, when it is not inside the signature header. */
  timestamp?: string;
  signsTime: boolean;
}

type SignedPart = { secret?: string; body?: string; timestampSeconds?: number };

const PROVIDERS: ProviderCase[] = [
  { preset: 'github', provider: 'github', signature: 'x-hub-signature-256', signsTime: false },
  { preset: 'stripe', provider: 'stripe', signature: 'stripe-signature', signsTime: true },
  { preset: 'slack', provider: 'slack', signature: 'x-slack-signature', timestamp: 'x-slack-request-timestamp', signsTime: true },
  { preset: 'shopify', provider: 'shopify', signature: 'x-shopify-hmac-sha256', signsTime: false },
  { preset: 'standard-webhooks', provider: 'standard-webhooks', signature: 'webhook-signature', timestamp: 'webhook-timestamp', signsTime: true },
  { preset: 'standard-webhooks', provider: 'svix', signature: 'svix-signature', timestamp: 'svix-timestamp', signsTime: true },
];

function request(headers: Record<string, string | string[] | undefined>, body: string | Buffer = BODY) {
  return inboundRequest(headers, body);
}

function sign(provider: WebhookProvider, delivery: SignedPart = {}): Record<string, string> {
  return signWith(provider, { secret: SECRET, body: BODY, timestampSeconds: NOW_S, id: 'msg_2Zx', ...delivery });
}

function hmacAuth(preset: Exclude<HmacPreset, 'custom'>, toleranceSeconds?: number): EndpointAuth {
  return { type: 'hmac', preset, secret: 'webhook', toleranceSeconds };
}

function without(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
}

describe.each(PROVIDERS)('the $preset preset, with a delivery signed by $provider', ({ preset, provider, signature }) => {
  const auth = hmacAuth(preset);
  let headers: Record<string, string>;

  beforeAll(() => {
    headers = sign(provider);
  });

  it('accepts it', () => {
    expect(verifyAuth(auth, request(headers), SECRET, NOW_MS)).toEqual({ ok: true });
  });

  it('refuses it with bad_signature when one byte of the body changed, naming no signature', () => {
    const tampered = Buffer.from(BODY, 'utf8');
    tampered[7] ^= 0x01;
    const correct = sign(provider, { body: tampered.toString('utf8') });
    const message = expectRejected(verifyAuth(auth, request(headers, tampered), SECRET, NOW_MS), 'bad_signature', { secret: SECRET, headers: [headers, correct] });
    expect(message).toMatch(/does not match the body/);
  });

  it('refuses it with bad_signature when it was signed with another secret', () => {
    const forged = sign(provider, { secret: OTHER_SECRET });
    expectRejected(verifyAuth(auth, request(forged), SECRET, NOW_MS), 'bad_signature', { secret: SECRET, headers: [forged, headers] });
  });

  it('refuses it with missing_credentials without its signature header, naming the header', () => {
    const message = expectRejected(verifyAuth(auth, request(without(headers, signature)), SECRET, NOW_MS), 'missing_credentials', { secret: SECRET, headers: [headers] });
    expect(message.toLowerCase()).toContain(signature);
  });

  it('refuses it with malformed_signature when the signature header holds something else', () => {
    const garbled = { ...headers, [signature]: 'sha1=0123' };
    expectRejected(verifyAuth(auth, request(garbled), SECRET, NOW_MS), 'malformed_signature', { secret: SECRET, headers: [headers] });
  });

  it('refuses it with malformed_signature when the signature header comes twice', () => {
    const twice = { ...headers, [signature]: [headers[signature], headers[signature]] };
    expectRejected(verifyAuth(auth, request(twice), SECRET, NOW_MS), 'malformed_signature', { secret: SECRET, headers: [headers] });
  });

  it('refuses it with secret_missing when the endpoint secret is not set', () => {
    expectRejected(verifyAuth(auth, request(headers), undefined, NOW_MS), 'secret_missing', { secret: SECRET, headers: [headers] });
  });

});

describe.each(PROVIDERS.filter((provider) => provider.signsTime))('the $preset preset, with a timestamp signed by $provider', ({ preset, provider, signature, timestamp }) => {
  const auth = hmacAuth(preset);

  it('refuses a delivery signed 10 minutes ago with stale_timestamp, saying how old it is', () => {
    const stale = sign(provider, { timestampSeconds: NOW_S - 600 });
    const message = expectRejected(verifyAuth(auth, request(stale), SECRET, NOW_MS), 'stale_timestamp', { secret: SECRET, headers: [stale] });
    expect(message).toBe('the timestamp is 600 s old; at most 300 s is accepted');
  });

  it('refuses a delivery signed 10 minutes ahead with stale_timestamp', () => {
    const early = sign(provider, { timestampSeconds: NOW_S + 600 });
    const message = expectRejected(verifyAuth(auth, request(early), SECRET, NOW_MS), 'stale_timestamp', { secret: SECRET, headers: [early] });
    expect(message).toBe('the timestamp is 600 s in the future; at most 300 s is accepted');
  });

  it('accepts a delivery 4 minutes old, and holds it to toleranceSeconds when the endpoint sets one', () => {
    const late = sign(provider, { timestampSeconds: NOW_S - 240 });
    expect(verifyAuth(auth, request(late), SECRET, NOW_MS)).toEqual({ ok: true });
    expectRejected(verifyAuth(hmacAuth(preset, 60), request(late), SECRET, NOW_MS), 'stale_timestamp', { secret: SECRET, headers: [late] });
  });

  it('refuses a delivery whose timestamp was changed with bad_signature, not stale_timestamp', () => {
    const stale = sign(provider, { timestampSeconds: NOW_S - 600 });
    const moved = timestamp ? { ...stale, [timestamp]: String(NOW_S) } : { ...stale, [signature]: stale[signature].replace(`t=${NOW_S - 600}`, `t=${NOW_S}`) };
    expectRejected(verifyAuth(auth, request(moved), SECRET, NOW_MS), 'bad_signature', { secret: SECRET, headers: [stale] });
  });

});

const TIMESTAMP_HEADERS = PROVIDERS.flatMap(({ preset, provider, timestamp }) => (timestamp ? [{ preset, provider, timestamp }] : []));

describe.each(TIMESTAMP_HEADERS)('the $preset preset, with $timestamp from $provider', ({ preset, provider, timestamp }) => {
  it('refuses a delivery without it with missing_credentials', () => {
    const headers = sign(provider);
    expectRejected(verifyAuth(hmacAuth(preset), request(without(headers, timestamp)), SECRET, NOW_MS), 'missing_credentials', { secret: SECRET, headers: [headers] });
  });

  it('refuses a delivery where it is not canonical seconds with malformed_signature', () => {
    const headers = sign(provider);
    for (const written of [`0${NOW_S}`, `${NOW_S}.0`, `+${NOW_S}`, `${NOW_S * 1000}`.padStart(20, '9')]) {
      expectRejected(verifyAuth(hmacAuth(preset), request({ ...headers, [timestamp]: written }), SECRET, NOW_MS), 'malformed_signature', { secret: SECRET, headers: [headers] });
    }
  });
});
