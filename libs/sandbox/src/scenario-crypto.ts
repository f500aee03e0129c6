import { createHash, createHmac, randomUUID, timingSafeEqual, type BinaryToTextEncoding } from 'node:crypto';

/** Turns what a scenario passed into something node:crypto accepts (a string or host bytes). */
export type ToCryptoInput = (value: unknown) => string | Buffer;

interface Digest {
  update(data: unknown, encoding?: unknown): Digest;
  digest(encoding?: unknown): string | Buffer;
}

const ENCODINGS = new Set(['hex', 'base64', 'base64url', 'latin1', 'binary', 'utf8', 'utf-8']);

function encodingOf(value: unknown): BufferEncoding | undefined {
  return typeof value === 'string' && ENCODINGS.has(value) ? (value as BufferEncoding) : undefined;
}

/** A small hash/HMAC object: the scenario never touches node's Hash stream and what hangs off it. */
function digestOf(target: { update(data: string | Buffer, encoding?: BufferEncoding): unknown; digest(encoding?: BinaryToTextEncoding): string | Buffer }, input: ToCryptoInput): Digest {
  const digest: Digest = {
    update(data, encoding) {
      const value = input(data);
      if (typeof value === 'string') target.update(value, encodingOf(encoding) ?? 'utf8');
      else target.update(value);
      return digest;
    },
    digest: (encoding) => {
      const enc = encodingOf(encoding) as BinaryToTextEncoding | undefined;
      return enc ? target.digest(enc) : target.digest();
    },
  };
  return digest;
}

/**
 * The `crypto` a scenario sees: `createHash`, `createHmac`, `timingSafeEqual`, `randomUUID`, enough to
 * check a webhook's signature over `rawBody`. Takes strings, Buffers and typed arrays.
 */
export function createScenarioCrypto(input: ToCryptoInput) {
  const bytes = (value: unknown): Buffer => {
    const converted = input(value);
    return typeof converted === 'string' ? Buffer.from(converted) : converted;
  };
  return {
    createHash: (algorithm: unknown) => digestOf(createHash(String(algorithm)), input),
    createHmac: (algorithm: unknown, key: unknown) => digestOf(createHmac(String(algorithm), bytes(key)), input),
    timingSafeEqual: (a: unknown, b: unknown) => timingSafeEqual(bytes(a), bytes(b)),
    randomUUID: () => randomUUID(),
  };
}
