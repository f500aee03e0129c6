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

interface Waiter {
  resolve: (message: ResultMessage) => void;
}

/**
 * Receives the answers of sync processes for one ingress instance: one subscription per instance, not
 * one per request, and a map from process id to the request waiting for it. Register with
 * {@link expect} before the job is enqueued, or a fast worker's answer is missed.
 */
export class ResultChannel {
  readonly name: string;
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly subscriber: RedisClient,
    prefix: string,
    instanceId: string,
  ) {
    this.name = resultChannelName(prefix, instanceId);
  }

  /** Subscribes; resolves once Redis confirms, so no answer published afterwards is lost. */
  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.name) this.deliver(text);
    });
    await whenReady(this.subscriber);
    await this.subscriber.subscribe(this.name);
  }

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

  private deliver(text: string): void {
    let message: ResultMessage;
    try {
      message = JSON.parse(text) as ResultMessage;
    } catch {
      return; // Not ours to answer: only workers publish here, and they publish JSON.
    }
    const waiter = this.waiters.get(message.processId);
    if (!waiter) return; // The caller already got its 504 or hung up.
    this.waiters.delete(message.processId);
    waiter.resolve(message);
  }

  async close(): Promise<void> {
    this.waiters.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}

/** Worker side: publishes one answer to the channel of the ingress that waits for it. */
export async function publishResult(redis: RedisClient, channel: string, message: ResultMessage): Promise<void> {
  await redis.publish(channel, JSON.stringify(message));
}
