import type { EndpointAuth } from '@webrequests/contracts';
import { verifyAuth } from '@webrequests/protection';
import { expectRejected, inboundRequest } from './auth-helpers';

const SECRET = 'tok_9f8e7d6c5b4a39281706';

function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

describe('verifyAuth', () => {
  it('lets everything through for type none, whatever the secret', () => {
    expect(verifyAuth({ type: 'none' }, inboundRequest({}), undefined)).toEqual({ ok: true });
  });

  it.each<EndpointAuth>([
    { type: 'bearer', secret: 'api' },
    { type: 'header', header: 'X-Api-Key', secret: 'api' },
    { type: 'basic', username: 'hooks', secret: 'api' },
  ])('fails closed with secret_missing when the $type secret is unset or empty, even for the right credentials', (auth) => {
    const right = inboundRequest({ authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET });
    expectRejected(verifyAuth(auth, right, undefined), 'secret_missing', { secret: SECRET });
    expectRejected(verifyAuth(auth, right, ''), 'secret_missing', { secret: SECRET });
  });
});

describe('bearer authentication', () => {
  const auth: EndpointAuth = { type: 'bearer', secret: 'api' };

  it('accepts the secret as a Bearer token, whatever the case of the scheme', () => {
    for (const authorization of [`Bearer ${SECRET}`, `bearer ${SECRET}`, `BEARER  ${SECRET}`]) {
      expect(verifyAuth(auth, inboundRequest({ authorization }), SECRET)).toEqual({ ok: true });
    }
  });

  it('refuses another token, a longer one and a prefix of the secret with wrong_credentials', () => {
    for (const token of ['tok_0000000000000000000000', `${SECRET}x`, SECRET.slice(0, -1)]) {
      const headers = { authorization: `Bearer ${token}` };
      expectRejected(verifyAuth(auth, inboundRequest(headers), SECRET), 'wrong_credentials', { secret: SECRET, headers: [headers] });
    }
  });

  it('refuses a request without Authorization, or with another scheme or no token, with missing_credentials', () => {
    for (const headers of [{}, { authorization: SECRET }, { authorization: basic(`x:${SECRET}`) }, { authorization: 'Bearer ' }]) {
      const message = expectRejected(verifyAuth(auth, inboundRequest(headers), SECRET), 'missing_credentials', { secret: SECRET, headers: [headers] });
      expect(message).toMatch(/Authorization/);
    }
  });
});

describe('header authentication', () => {
  const auth: EndpointAuth = { type: 'header', header: 'X-Api-Key', secret: 'api' };

  it('accepts the secret in the named header, matched in any case', () => {
    expect(verifyAuth(auth, inboundRequest({ 'x-api-key': SECRET }), SECRET)).toEqual({ ok: true });
    expect(verifyAuth(auth, inboundRequest({ 'X-API-KEY': SECRET }), SECRET)).toEqual({ ok: true });
  });

  it('refuses another value with wrong_credentials and a missing header with missing_credentials, naming it', () => {
    const wrong = { 'x-api-key': 'tok_0000000000000000000000' };
    expect(expectRejected(verifyAuth(auth, inboundRequest(wrong), SECRET), 'wrong_credentials', { secret: SECRET, headers: [wrong] })).toBe('X-Api-Key is wrong');
    expect(expectRejected(verifyAuth(auth, inboundRequest({ authorization: SECRET }), SECRET), 'missing_credentials', { secret: SECRET })).toBe('X-Api-Key is missing');
  });

  it('refuses the header sent twice with wrong_credentials rather than pick a copy', () => {
    const twice = { 'x-api-key': [SECRET, 'other'] };
    expect(expectRejected(verifyAuth(auth, inboundRequest(twice), SECRET), 'wrong_credentials', { secret: SECRET, headers: [twice] })).toBe('X-Api-Key is sent 2 times; send it once');
  });

  it('never reads a header name off the prototype', () => {
    const auth: EndpointAuth = { type: 'header', header: 'constructor', secret: 'api' };
    expectRejected(verifyAuth(auth, inboundRequest({}), SECRET), 'missing_credentials', { secret: SECRET });
  });
});

describe('basic authentication', () => {
  const auth: EndpointAuth = { type: 'basic', username: 'hooks', secret: 'api' };

  it('accepts the user name with the secret as password, whatever the case of the scheme', () => {
    expect(verifyAuth(auth, inboundRequest({ authorization: basic(`hooks:${SECRET}`) }), SECRET)).toEqual({ ok: true });
    expect(verifyAuth(auth, inboundRequest({ authorization: basic(`hooks:${SECRET}`).replace('Basic', 'basic') }), SECRET)).toEqual({ ok: true });
  });

  it('refuses a wrong password, a wrong user name, or no password with wrong_credentials', () => {
    for (const credentials of [`hooks:${SECRET}x`, `hook:${SECRET}`, `Hooks:${SECRET}`, 'hooks', `hooks:${SECRET}:`]) {
      const headers = { authorization: basic(credentials) };
      expectRejected(verifyAuth(auth, inboundRequest(headers), SECRET), 'wrong_credentials', { secret: SECRET, headers: [headers] });
    }
  });

  it('refuses credentials that are not base64 with wrong_credentials', () => {
    const headers = { authorization: `Basic ${Buffer.from(`hooks:${SECRET}`).toString('base64')}!!` };
    expect(expectRejected(verifyAuth(auth, inboundRequest(headers), SECRET), 'wrong_credentials', { secret: SECRET, headers: [headers] })).toBe('the Basic credentials are not base64');
  });

  it('refuses a Bearer token or nothing with missing_credentials', () => {
    for (const headers of [{}, { authorization: `Bearer ${SECRET}` }]) {
      expectRejected(verifyAuth(auth, inboundRequest(headers), SECRET), 'missing_credentials', { secret: SECRET, headers: [headers] });
    }
  });
});
