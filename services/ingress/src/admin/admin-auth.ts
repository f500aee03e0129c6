import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '@webrequests/contracts';

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
  return (req, res, next) => {
    const given = presentedToken(req.get('authorization'));
    if (given !== null && same(given, token)) return next();
    if (options.basicChallenge) res.set('WWW-Authenticate', 'Basic realm="webrequests", charset="UTF-8"');
    next(new UnauthorizedError('missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)'));
  };
}
