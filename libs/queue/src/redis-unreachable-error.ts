/** A Redis URL fit to print: the password, if any, replaced by `***`. */
export function redactRedisUrl(url: string): string {
  return url
    .split(',')
    .map((part) => part.trim().replace(/^(rediss?:\/\/)([^@/]*:)?[^@/]*@/, (_m, scheme: string, user?: string) => `${scheme}${user ?? ''}***@`))
    .join(',');
}

/**
 * Redis could not be reached within the start-up time limit. Its message is the one line a person
 * gets: where, why, and what to do.
 */
export class RedisUnreachableError extends Error {
  constructor(url: string, timeoutMs: number, reason: string | undefined) {
    const why = reason ? ` (${reason})` : '';
    super(
      `Redis at ${redactRedisUrl(url)} is unreachable${why} after ${Math.round(timeoutMs / 100) / 10} s: ` +
        'start it, or set REDIS_URL to a Redis this host can reach (REDIS_CONNECT_TIMEOUT_MS sets how long to wait)',
    );
    this.name = 'RedisUnreachableError';
  }
}
