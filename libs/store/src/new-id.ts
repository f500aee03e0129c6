import { randomFillSync } from 'node:crypto';

/** Random bytes drawn in batches: one system call per 4096 ids rather than per id. */
const pool = Buffer.alloc(10 * 4096);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;

function random10(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

/**
 * A new record id: a UUID version 7 (RFC 9562 §5.7), so ids sort in creation order and the stores can
 * page by id alone. 48 bits of Unix milliseconds, then a 12-bit counter that restarts at a random value
 * below 2048 each millisecond (RFC 9562 §6.2, method 1), then 62 random bits. Ids made in one process
 * are strictly increasing (a burst of over 2048 in one millisecond, or a clock set back, borrows the
 * next millisecond); across processes they are ordered to the millisecond.
 *
 * Written here rather than taken from `uuid`: its current major ships ES modules only, which these
 * CommonJS packages cannot import under TypeScript's node16 module setting, and this is all of it.
 */
export function newId(): string {
  const bytes = random10();
  let ms = Date.now();
  if (ms > lastMs) {
    sequence = ((bytes[0]! << 8) | bytes[1]!) & 0x7ff;
  } else {
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      ms += 1;
      sequence = ((bytes[0]! << 8) | bytes[1]!) & 0x7ff;
    }
  }
  lastMs = ms;
  const hex = ms.toString(16).padStart(12, '0');
  const versionAndSequence = (0x7000 | sequence).toString(16);
  const variant = ((bytes[2]! & 0x3f) | 0x80).toString(16) + bytes[3]!.toString(16).padStart(2, '0');
  const tail = bytes.subarray(4, 10).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${versionAndSequence}-${variant}-${tail}`;
}
