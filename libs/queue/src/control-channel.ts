import type { RedisClient } from './redis-connection';
import type { ControlMessage } from '@webrequests/contracts';
import { whenReady } from './when-ready';

/** The channel on which operators' orders (e.g. stop a running process) reach every worker. */
export function controlChannelName(prefix: string): string {
  return `${prefix}:control`;
}

/** Sends an order to every worker; the one running the process acts on it, the others ignore it. */
export async function publishControl(redis: RedisClient, prefix: string, message: ControlMessage): Promise<void> {
  await redis.publish(controlChannelName(prefix), JSON.stringify(message));
}

/** Calls `onMessage` for every order; resolves once subscribed. The connection is the caller's to close. */
export async function subscribeControl(
  subscriber: RedisClient,
  prefix: string,
  onMessage: (message: ControlMessage) => void,
): Promise<void> {
  const name = controlChannelName(prefix);
  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== name) return;
    try {
      onMessage(JSON.parse(text) as ControlMessage);
    } catch {
      // Only our services publish here; a malformed message is ignored rather than crash a worker.
    }
  });
  await whenReady(subscriber);
  await subscriber.subscribe(name);
}
