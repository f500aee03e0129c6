import type { Redis } from 'ioredis';

/** One Redis key and everything it holds, as text (bytes read as latin1, so that no byte is lost). */
export interface DumpedKey {
  key: string;
  type: string;
  text: string;
}

/** Every member, field, value and entry of `key`, whatever its type, as one text. */
async function contentsOf(redis: Redis, key: string, type: string): Promise<string> {
  const parts: Array<Buffer | string> = [];
  switch (type) {
    case 'string':
      parts.push((await redis.getBuffer(key)) ?? '');
      break;
    case 'hash':
      for (const [field, value] of Object.entries(await redis.hgetallBuffer(key))) parts.push(field, value);
      break;
    case 'list':
      parts.push(...(await redis.lrangeBuffer(key, 0, -1)));
      break;
    case 'set':
      parts.push(...(await redis.smembersBuffer(key)));
      break;
    case 'zset':
      parts.push(...(await redis.zrangeBuffer(key, '0', '-1', 'WITHSCORES')));
      break;
    case 'stream':
      for (const [id, fields] of await redis.xrangeBuffer(key, '-', '+')) parts.push(id, ...fields);
      break;
    case 'none':
      break; // Expired between SCAN and TYPE.
    default:
      throw new Error(`key ${key} has type ${type}, which this dump does not read`);
  }
  return parts.map((part) => (Buffer.isBuffer(part) ? part.toString('latin1') : part)).join('\n');
}

/** Every key under `prefix` (SCAN), with all it holds. */
export async function dumpRedis(redis: Redis, prefix: string): Promise<DumpedKey[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    for (const key of batch) keys.add(key);
    cursor = next;
  } while (cursor !== '0');
  const dumped: DumpedKey[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    dumped.push({ key, type, text: await contentsOf(redis, key, type) });
  }
  return dumped;
}
