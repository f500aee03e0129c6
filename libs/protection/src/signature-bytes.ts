import { createHash, timingSafeEqual } from 'node:crypto';
import type { HmacAlgorithm } from '@webrequests/contracts';

/** How many bytes each algorithm's HMAC has: a signature of another length is malformed, not wrong. */
const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/**
 * Whether two values hold the same bytes, in a time that depends on neither's content nor length:
 * both are hashed to SHA-256 first, so `timingSafeEqual` always compares 32 bytes with 32 bytes and
 * a caller probing with tokens of growing length learns nothing.
 */
export function sameBytes(a: Buffer | string, b: Buffer | string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(value: Buffer | string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Canonical base64 (standard alphabet, padding optional) decoded; `null` for anything else.
 * `Buffer.from(…, 'base64')` alone skips characters it does not know, so it would accept junk.
 */
export function decodeBase64(text: string): Buffer | null {
  const decoded = Buffer.from(text, 'base64');
  return text.length > 0 && unpadded(decoded.toString('base64')) === unpadded(text) ? decoded : null;
}

function unpadded(base64: string): string {
  return base64.replace(/={1,2}$/, '');
}

/** An HMAC as a header writes it (hex in either case, or base64) decoded; `null` unless it has the algorithm's length. */
export function decodeDigest(text: string, encoding: 'hex' | 'base64', algorithm: HmacAlgorithm): Buffer | null {
  const length = DIGEST_BYTES[algorithm];
  if (encoding === 'hex') return text.length === length * 2 && /^[0-9a-fA-F]+$/.test(text) ? Buffer.from(text, 'hex') : null;
  const decoded = decodeBase64(text);
  return decoded?.length === length ? decoded : null;
}
