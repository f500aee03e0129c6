import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection';
import { whenReady } from './when-ready';
import type { ResultMessage } from '@webrequests/contracts';

/**
 * Name of the pub/sub channel on which one ingress instance receives its answers. Classic pub/sub, not
 * sharded: a Redis Cluster broadcasts each message to every node, so any node serves the subscriber.
 */
export function resultChannelName(prefix: string, instanceId: string): string {
  return `${prefix}:results:${instanceId}`;
}

/** Largest result message published as it is (bytes of JSON); a larger one is stored under a key (see ResultMessage). */
export const INLINE_RESULT_MAX_BYTES = 256 * 1024;

/** Longest a stored result is kept (milliseconds): a sync caller never waits longer than its deadline. */
export const STORED_RESULT_MAX_TTL_MS = 60_000;

/** Kept past the caller's remaining deadline (milliseconds), so an answer published just in time is still there. */
const STORED_RESULT_MARGIN_MS = 5_000;

/**
 * Key of the result of `processId` stored for the ingress listening on `channel`: under the channel's
 * own name, so it shares the queue prefix's hash tag (one cluster slot) and names the ingress it is for.
 */
export function storedResultKey(channel: string, processId: string): string {
  return `${channel}:${processId}`;
}

type StoredPointer = Extract<ResultMessage, { kind: 'stored' }>;
/** What a stored key holds: the answer itself, never another pointer. */
export type DirectResultMessage = Exclude<ResultMessage, StoredPointer>;

/** Result keys read in one MGET by a recovery sweep. */
const RECOVER_BATCH = 500;

/** A result key's text as the answer for `processId`; null when it is not one. */
function parseDirect(text: string, processId: string): DirectResultMessage | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isResultMessage(message) || message.kind === 'stored' || message.processId !== processId) return null;
  return message;
}

interface Waiter {
  resolve: (message: ResultMessage) => void;
}

function isResultMessage(value: unknown): value is ResultMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, processId } = value as { kind?: unknown; processId?: unknown };
  return typeof processId === 'string' && (kind === 'response' || kind === 'error' || kind === 'stored');
}

/**
 * Receives the answers of sync processes for one ingress instance: one subscription per instance, not
 * one per request, and a map from process id to the request waiting for it. Register with
 * {@link expect} before the job is enqueued, or a fast worker's answer is missed. Answers stored under a
 * key (`stored`) are taken with {@link take}, over `reader`: a subscribed connection can run nothing
 * else. Without one, the channel opens its own, a duplicate of the subscriber's.
 */
export class ResultChannel {
  readonly name: string;
  private readonly waiters = new Map<string, Waiter>();
  private reader: RedisClient | null;
  private readonly ownsReader: boolean;

  constructor(
    private readonly subscriber: RedisClient,
    prefix: string,
    instanceId: string,
    reader?: RedisClient,
  ) {
    this.name = resultChannelName(prefix, instanceId);
    this.reader = reader ?? null;
    this.ownsReader = reader === undefined;
  }

  /** Subscribes; resolves once Redis confirms, so no answer published afterwards is lost. */
  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.name) this.deliver(text);
    });
    if (this.ownsReader) {
      const reader: RedisClient = this.subscriber instanceof Cluster ? this.subscriber.duplicate() : this.subscriber.duplicate();
      // Its errors are the subscriber's to report (createRedisConnection gave that one a listener).
      reader.on('error', (error: Error) => {
        if (this.subscriber.listenerCount('error') > 0) this.subscriber.emit('error', error);
      });
      this.reader = reader;
    }
    await whenReady(this.subscriber);
    await this.subscriber.subscribe(this.name);
    // After every reconnect (ioredis subscribes again by itself): confirm the subscription, then pick up
    // what was published while the connection was down.
    this.subscriber.on('ready', () => {
      this.subscriber
        .subscribe(this.name)
        .then(() => this.recover())
        .then(
          (recovered) => this.onRecovered?.(recovered),
          (error: unknown) => this.onRecovered?.(0, error),
        );
    });
  }

  /** Told after each recovery sweep how many answers it found (and its error, if it failed). */
  onRecovered: ((recovered: number, error?: unknown) => void) | undefined;

  /** How many requests are waiting for an answer. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** A promise of the answer for `processId`, and a function to stop waiting (on timeout or hang-up). */
  expect(processId: string): { result: Promise<ResultMessage>; cancel: () => void } {
    let resolve!: (message: ResultMessage) => void;
    const result = new Promise<ResultMessage>((r) => (resolve = r));
    this.waiters.set(processId, { resolve });
    return { result, cancel: () => this.waiters.delete(processId) };
  }

  /**
   * The answer a `stored` message points at, read and deleted at once (GETDEL, Redis 6.2+): null when
   * the key is gone (expired, or taken already) or is not one this channel's answers are stored under.
   * Rejects when Redis fails.
   */
  async take(pointer: StoredPointer): Promise<DirectResultMessage | null> {
    if (pointer.key !== storedResultKey(this.name, pointer.processId) || !this.reader) return null;
    const text = await this.reader.getdel(pointer.key);
    return text === null ? null : parseDirect(text, pointer.processId);
  }

  private deliver(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // Not ours to answer: only workers publish here, and they publish JSON.
    }
    if (!isResultMessage(message)) return;
    const waiter = this.waiters.get(message.processId);
    if (message.kind !== 'stored') {
      // Heard: the copy kept for a missed message is not needed any more.
      this.reader?.unlink(storedResultKey(this.name, message.processId)).catch(() => undefined);
    }
    if (!waiter) {
      // The caller already got its 504 or hung up: nobody will take the stored answer, so it goes now.
      if (message.kind === 'stored') void this.take(message).catch(() => undefined);
      return;
    }
    this.waiters.delete(message.processId);
    waiter.resolve(message);
  }

  /**
   * Pub/sub is at-most-once: what was published while the subscriber was away (a reconnect, a
   * connection Redis dropped) is gone. Every answer is also kept under its result key until it is
   * heard, so after each resubscription the channel reads the keys of every request still waiting and
   * answers those whose answer came in meanwhile.
   */
  async recover(): Promise<number> {
    const reader = this.reader;
    if (!reader || this.waiters.size === 0) return 0;
    let recovered = 0;
    const ids = [...this.waiters.keys()];
    for (let at = 0; at < ids.length; at += RECOVER_BATCH) {
      const batch = ids.slice(at, at + RECOVER_BATCH);
      const texts = await reader.mget(...batch.map((id) => storedResultKey(this.name, id)));
      texts.forEach((text, index) => {
        const message = text === null ? null : parseDirect(text, batch[index]!);
        const waiter = message ? this.waiters.get(message.processId) : undefined;
        if (!message || !waiter) return;
        this.waiters.delete(message.processId);
        reader.unlink(storedResultKey(this.name, message.processId)).catch(() => undefined);
        recovered++;
        waiter.resolve(message);
      });
    }
    return recovered;
  }

  /**
   * The answer for `processId` if it is under its result key (published, but the message was not
   * heard): the last look before a caller is told its deadline passed. Null when there is none.
   */
  async lastLook(processId: string): Promise<DirectResultMessage | null> {
    if (!this.reader) return null;
    const text = await this.reader.getdel(storedResultKey(this.name, processId));
    return text === null ? null : parseDirect(text, processId);
  }

  async close(): Promise<void> {
    this.waiters.clear();
    const reader = this.ownsReader ? this.reader : null;
    await Promise.all([
      this.subscriber.quit().catch(() => this.subscriber.disconnect()),
      reader?.quit().catch(() => reader.disconnect()),
    ]);
  }
}

/** How {@link publishResult} publishes one answer. */
export interface PublishOptions {
  /** The caller's deadline (milliseconds since the epoch): a stored answer is kept a little longer, at most a minute. */
  deadline?: number;
  /** Largest message published as it is (bytes); default {@link INLINE_RESULT_MAX_BYTES}. */
  inlineMaxBytes?: number;
}

function storedTtlMs(deadline: number | undefined): number {
  if (deadline === undefined) return STORED_RESULT_MAX_TTL_MS;
  return Math.min(STORED_RESULT_MAX_TTL_MS, Math.max(0, deadline - Date.now()) + STORED_RESULT_MARGIN_MS);
}

/**
 * Worker side: publishes one answer to the channel of the ingress that waits for it, and keeps it under
 * {@link storedResultKey} (expiring a little after the caller's deadline) until the ingress hears it,
 * so that an answer published while the ingress's subscriber was away is still found (see
 * {@link ResultChannel.recover}). An answer over `inlineMaxBytes` travels only under its key: the
 * message is a `stored` pointer, so that no pub/sub message is large enough to make Redis drop the
 * ingress's subscriber.
 */
export async function publishResult(redis: RedisClient, channel: string, message: ResultMessage, options: PublishOptions = {}): Promise<void> {
  const text = JSON.stringify(message);
  const bytes = Buffer.byteLength(text);
  const key = storedResultKey(channel, message.processId);
  const published = bytes <= (options.inlineMaxBytes ?? INLINE_RESULT_MAX_BYTES) ? text : JSON.stringify({ kind: 'stored', processId: message.processId, key, bytes } satisfies ResultMessage);
  // The key first: an ingress that misses the message must find the answer when it looks.
  if (redis instanceof Cluster) {
    await redis.set(key, text, 'PX', storedTtlMs(options.deadline));
    await redis.publish(channel, published);
    return;
  }
  const results = await redis.pipeline().set(key, text, 'PX', storedTtlMs(options.deadline)).publish(channel, published).exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
