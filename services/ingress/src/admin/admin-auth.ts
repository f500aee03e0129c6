import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '@webrequests/contracts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether `given` is the token, in constant time: the SHA-256 digests of both (always 32 bytes) are
 * compared with `timingSafeEqual`, so neither the content nor the length of the token leaks through the
 * time the answer takes (comparing the raw strings would have to refuse a different length early).
 */
function same(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}

/** The token a request presents: `Authorization: Bearer <token>`, or HTTP Basic with it as the password. */
function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme!.toLowerCase() === 'bearer') return value.trim();
  if (scheme!.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return null;
}

/** Lets through requests carrying the admin token (constant-time compare); 401 otherwise. */
export function adminAuth(token: string, options: { basicChallenge?: boolean } = {}): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const given = presentedToken(req.get('authorization'));
    if (given !== null && same(given, expected)) return next();
    if (options.basicChallenge) res.set('WWW-Authenticate', 'Basic realm="webrequests", charset="UTF-8"');
    next(new UnauthorizedError('missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)'));
  };
}
