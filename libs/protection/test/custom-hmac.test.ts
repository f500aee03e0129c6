import { createHmac } from 'node:crypto';
import { HMAC_ALGORITHMS, type EndpointAuth, type HmacAlgorithm } from '@webrequests/contracts';
import { verifyAuth } from '@webrequests/protection';
import { expectRejected, inboundRequest } from './auth-helpers';

const SECRET = 'custom-signing-secret-71';
const BODY = Buffer.from('event=paid&amount=12.00&note=caf\xe9', 'latin1');

const SCHEMES = HMAC_ALGORITHMS.flatMap((algorithm) =>
  (['hex', 'base64'] as const).flatMap((encoding) => [undefined, `${algorithm}=`].map((prefix) => ({ algorithm, encoding, prefix }))),
);

function customAuth(algorithm: HmacAlgorithm, encoding: 'hex' | 'base64', prefix?: string): EndpointAuth {
  return { type: 'hmac', preset: 'custom', secret: 'custom', header: 'X-Signature', algorithm, encoding, prefix };
}

describe.each(SCHEMES)('the custom preset with $algorithm, $encoding, prefix $prefix', ({ algorithm, encoding, prefix = '' }) => {
  const auth = customAuth(algorithm, encoding, prefix || undefined);
  const signature = createHmac(algorithm, SECRET).update(BODY).digest(encoding);
  const headers = { 'x-signature': `${prefix}${signature}` };

  it('accepts the HMAC of the raw bytes of the body', () => {
    expect(verifyAuth(auth, inboundRequest(headers, BODY), SECRET)).toEqual({ ok: true });
  });

  it('refuses a changed body or another secret with bad_signature', () => {
    const forged = { 'x-signature': `${prefix}${createHmac(algorithm, 'another').update(BODY).digest(encoding)}` };
    expectRejected(verifyAuth(auth, inboundRequest(headers, Buffer.concat([BODY, Buffer.from(' ')])), SECRET), 'bad_signature', { secret: SECRET, headers: [headers] });
    expectRejected(verifyAuth(auth, inboundRequest(forged, BODY), SECRET), 'bad_signature', { secret: SECRET, headers: [headers, forged] });
  });

  it('refuses a signature of another length or alphabet with malformed_signature', () => {
    const other: HmacAlgorithm = algorithm === 'sha1' ? 'sha256' : 'sha1';
    const shapes = [createHmac(other, SECRET).update(BODY).digest(encoding), `${signature.slice(0, -2)}!!`, `${signature} `];
    for (const shape of shapes) {
      const sent = { 'x-signature': `${prefix}${shape}` };
      expectRejected(verifyAuth(auth, inboundRequest(sent, BODY), SECRET), 'malformed_signature', { secret: SECRET, headers: [sent, headers] });
    }
  });

  it('refuses a request without the header with missing_credentials', () => {
    expect(expectRejected(verifyAuth(auth, inboundRequest({}, BODY), SECRET), 'missing_credentials', { secret: SECRET })).toBe('X-Signature is missing');
  });
});

describe('the custom preset', () => {
  it('takes hex in either case', () => {
    const signature = createHmac('sha256', SECRET).update(BODY).digest('hex').toUpperCase();
    expect(verifyAuth(customAuth('sha256', 'hex'), inboundRequest({ 'x-signature': signature }, BODY), SECRET)).toEqual({ ok: true });
  });

  it('refuses a signature without its prefix with malformed_signature, naming the prefix', () => {
    const headers = { 'x-signature': createHmac('sha512', SECRET).update(BODY).digest('hex') };
    const message = expectRejected(verifyAuth(customAuth('sha512', 'hex', 'sig='), inboundRequest(headers, BODY), SECRET), 'malformed_signature', { secret: SECRET, headers: [headers] });
    expect(message).toBe('X-Signature does not start with "sig="');
  });
});
