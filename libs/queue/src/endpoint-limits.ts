import type { RedisClient } from './redis-connection';

/**
 * Admits a process under its endpoint's `maxConcurrent`, across every ingress: one sorted set per
 * endpoint holds the processes queued or running, each scored by when its lease runs out. Expired
 * leases go first, so a process whose worker died without releasing frees its slot by itself.
 * Times are Redis's own, so ingresses with skewed clocks agree.
 */
const ADMIT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
local lease = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
if redis.call('PTTL', KEYS[1]) < lease then redis.call('PEXPIRE', KEYS[1], lease) end
return 1
`;

/** Deletes a delivery's key only while it still names this process (another delivery may own it by now). */
const FORGET_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Key of the processes of one endpoint queued or running (a sorted set of leases); under the queue's hash tag. */
export function concurrencyKey(prefix: string, webrequestId: string): string {
  return `${prefix}:active:${webrequestId}`;
}

/** Key of one delivery of one endpoint, holding the id of the process it started; under the queue's hash tag. */
export function deliveryKey(prefix: string, webrequestId: string, deliveryId: string): string {
  return `${prefix}:dedup:${webrequestId}:${deliveryId}`;
}

/**
 * The per-endpoint checks that need one answer across every ingress (SPEC §10): de-duplication of
 * deliveries and `maxConcurrent`.
 */
export class EndpointLimits {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /**
   * Claims a delivery for `processId`: null when this is its first delivery within the window (the
   * caller runs it), else the id of the process the first delivery started. One `SET NX GET`, so two
   * simultaneous deliveries cannot both win.
   */
  async claimDelivery(webrequestId: string, deliveryId: string, processId: string, windowMs: number): Promise<string | null> {
    const previous = await this.redis.call('SET', deliveryKey(this.prefix, webrequestId, deliveryId), processId, 'PX', String(windowMs), 'NX', 'GET');
    return previous === null ? null : String(previous);
  }

  /** The process a delivery's key names now; null when it names none (expired, or given back). */
  async deliveryOwner(webrequestId: string, deliveryId: string): Promise<string | null> {
    return this.redis.get(deliveryKey(this.prefix, webrequestId, deliveryId));
  }

  /** Gives a claimed delivery back, when its process was not accepted after all (the sender's retry must run). */
  async forgetDelivery(webrequestId: string, deliveryId: string, processId: string): Promise<void> {
    await this.redis.eval(FORGET_SCRIPT, 1, deliveryKey(this.prefix, webrequestId, deliveryId), processId);
  }

  /** Takes a slot for `processId`, held at most `leaseMs`; false when `max` processes hold one already. */
  async admit(webrequestId: string, processId: string, max: number, leaseMs: number): Promise<boolean> {
    const admitted = await this.redis.eval(ADMIT_SCRIPT, 1, concurrencyKey(this.prefix, webrequestId), String(max), processId, String(Math.max(1, Math.ceil(leaseMs))));
    return admitted === 1;
  }

  /** Frees the slot of a process that ended (or was not accepted). */
  async release(webrequestId: string, processId: string): Promise<void> {
    await this.redis.zrem(concurrencyKey(this.prefix, webrequestId), processId);
  }
}
