import { randomBytes } from 'node:crypto';
import type { EndpointAuth } from '@webrequests/contracts';
import { verifyAuth } from '@webrequests/protection';
import { signWith, type Delivery } from '../test-support/senders';
import { expectRejected, inboundRequest } from './auth-helpers';

const NOW_S = 1_767_000_000;
const NOW_MS = NOW_S * 1000;
const BODY = '{"type":"invoice.paid","data":{"amount":1200}}';

describe('the stripe preset', () => {
  const auth: EndpointAuth = { type: 'hmac', preset: 'stripe', secret: 'stripe' };
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const signed = (delivery: Partial<Delivery> = {}) =>
    signWith('stripe', { secret, body: BODY, timestampSeconds: NOW_S, ...delivery })['stripe-signature'];

  it('accepts a header whose second v1 matches, with a v0 beside it, as Stripe sends while a secret rolls', () => {
    const old = signed({ secret: `whsec_${randomBytes(24).toString('hex')}` });
    const current = signed();
    const header = `${old},${current.split(',')[1]},v0=${'0'.repeat(64)}`;
    expect(verifyAuth(auth, inboundRequest({ 'stripe-signature': header }, BODY), secret, NOW_MS)).toEqual({ ok: true });
  });

  it('keys the HMAC with the whole whsec_ text, as Stripe does', () => {
    const header = signed();
    expectRejected(verifyAuth(auth, inboundRequest({ 'stripe-signature': header }, BODY), secret.slice('whsec_'.length), NOW_MS), 'bad_signature', { secret });
  });

  it('refuses a header without t or without v1 with malformed_signature', () => {
    const [t, v1] = signed().split(',');
    for (const header of [v1, t, `${t},v0=${v1.slice(3)}`, `${t},v1=${v1.slice(3, 40)}`]) {
      expectRejected(verifyAuth(auth, inboundRequest({ 'stripe-signature': header }, BODY), secret, NOW_MS), 'malformed_signature', { secret, headers: [{ v1 }] });
    }
  });
});

describe('the standard-webhooks preset', () => {
  const auth: EndpointAuth = { type: 'hmac', preset: 'standard-webhooks', secret: 'hooks' };
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const delivery = { secret, body: BODY, timestampSeconds: NOW_S, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' };

  it('accepts a list of signatures where one v1 matches, ignoring other versions', () => {
    const other = signWith('standard-webhooks', { ...delivery, secret: `whsec_${randomBytes(32).toString('base64')}` })['webhook-signature'];
    const headers = signWith('standard-webhooks', delivery);
    const right = headers['webhook-signature'];
    const list = `${other} v1a,${right.slice(3)} ${right}`;
    expect(verifyAuth(auth, inboundRequest({ ...headers, 'webhook-signature': list }, BODY), secret, NOW_MS)).toEqual({ ok: true });
    const otherVersionsOnly = `v1a,${right.slice(3)} v2,${right.slice(3)}`;
    expectRejected(verifyAuth(auth, inboundRequest({ ...headers, 'webhook-signature': otherVersionsOnly }, BODY), secret, NOW_MS), 'malformed_signature', { secret, headers: [headers] });
  });

  it.each([
    ['whsec_ and base64', `whsec_${randomBytes(24).toString('base64')}`, undefined],
    ['base64 without whsec_', randomBytes(32).toString('base64'), undefined],
    ['base64 without padding', `whsec_${randomBytes(32).toString('base64').replace(/=+$/, '')}`, undefined],
    ['not base64 (the libraries\' raw format)', 'a shared secret, not base64!', 'raw' as const],
  ])('derives the key from a secret written as %s as the library does', (_, written, secretFormat) => {
    const headers = signWith('standard-webhooks', { ...delivery, secret: written, secretFormat });
    expect(verifyAuth(auth, inboundRequest(headers, BODY), written, NOW_MS)).toEqual({ ok: true });
  });

  it('refuses a secret that is only the whsec_ prefix with secret_missing', () => {
    const headers = signWith('standard-webhooks', delivery);
    expectRejected(verifyAuth(auth, inboundRequest(headers, BODY), 'whsec_', NOW_MS), 'secret_missing', { secret, headers: [headers] });
  });

  it('reads the webhook-* headers when a delivery carries both families, and svix-* when only those came', () => {
    const both = signWith('standard-webhooks', delivery, ['svix']);
    expect(verifyAuth(auth, inboundRequest(both, BODY), secret, NOW_MS)).toEqual({ ok: true });
    const svixWrong = { ...both, 'svix-signature': 'v1,bm9wZQ==' };
    expect(verifyAuth(auth, inboundRequest(svixWrong, BODY), secret, NOW_MS)).toEqual({ ok: true });
    const svixOnly = signWith('svix', delivery);
    expect(verifyAuth(auth, inboundRequest(svixOnly, BODY), secret, NOW_MS)).toEqual({ ok: true });
  });

  it('refuses a delivery whose id was changed with bad_signature', () => {
    const headers = signWith('standard-webhooks', delivery);
    expectRejected(verifyAuth(auth, inboundRequest({ ...headers, 'webhook-id': 'msg_other' }, BODY), secret, NOW_MS), 'bad_signature', { secret, headers: [headers] });
  });
});
