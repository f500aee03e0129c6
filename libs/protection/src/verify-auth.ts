import { assertNever, type EndpointAuth } from '@webrequests/contracts';
import { PASSED, checked, reject, requiredHeader, type AuthVerdict, type Checked, type InboundRequest } from './auth-verdict';
import { verifyHmac } from './hmac-presets';
import { decodeBase64, sameBytes } from './signature-bytes';

export type { AuthFailureReason, AuthVerdict, InboundRequest } from './auth-verdict';

/**
 * Checks a request against its endpoint's `auth` (SPEC §10) before any process exists. `secret` is the
 * opened value of the secret `auth.secret` names; without it (unset, or empty) every request fails with
 * `secret_missing`, since nothing can be checked. `nowMs` is the clock the signed timestamps are held
 * to. Every comparison of a credential or signature takes the same time whatever the bytes compared.
 */
export function verifyAuth(auth: EndpointAuth, request: InboundRequest, secret: string | undefined, nowMs = Date.now()): AuthVerdict {
  if (auth.type === 'none') return PASSED;
  if (!secret) return reject('secret_missing', "the endpoint's secret is not set");
  switch (auth.type) {
    case 'bearer':
      return verifyBearer(request, secret);
    case 'header':
      return verifyHeader(auth.header, request, secret);
    case 'basic':
      return verifyBasic(auth.username, request, secret);
    case 'hmac':
      return verifyHmac(auth, request, secret, nowMs);
    default:
      return assertNever(auth);
  }
}

function verifyBearer(request: InboundRequest, secret: string): AuthVerdict {
  const token = authorization(request, 'Bearer');
  if (!token.ok) return token;
  return sameBytes(token.value, secret) ? PASSED : reject('wrong_credentials', 'the Bearer token is wrong');
}

function verifyHeader(name: string, request: InboundRequest, secret: string): AuthVerdict {
  const value = requiredHeader(request, name, 'wrong_credentials');
  if (!value.ok) return value;
  return sameBytes(value.value, secret) ? PASSED : reject('wrong_credentials', `${name} is wrong`);
}

/** `user:password` is compared whole, so neither part's correctness shows apart from the other's. */
function verifyBasic(username: string, request: InboundRequest, secret: string): AuthVerdict {
  const credentials = authorization(request, 'Basic');
  if (!credentials.ok) return credentials;
  const decoded = decodeBase64(credentials.value);
  if (!decoded) return reject('wrong_credentials', 'the Basic credentials are not base64');
  return sameBytes(decoded, `${username}:${secret}`) ? PASSED : reject('wrong_credentials', 'the user name or password is wrong');
}

/** The credentials of `Authorization: <scheme> <credentials>`; the scheme's case does not matter (RFC 9110). */
function authorization(request: InboundRequest, scheme: 'Bearer' | 'Basic'): Checked<string> {
  const value = requiredHeader(request, 'Authorization', 'wrong_credentials');
  if (!value.ok) return value;
  const space = value.value.search(/[ \t]/);
  const given = space < 0 ? value.value : value.value.slice(0, space);
  const credentials = space < 0 ? '' : value.value.slice(space + 1).trim();
  if (given.toLowerCase() !== scheme.toLowerCase() || credentials === '') {
    return reject('missing_credentials', `Authorization does not carry ${scheme} credentials`);
  }
  return checked(credentials);
}
