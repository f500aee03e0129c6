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

/**
 * Calls `onMessage` for every order; resolves once subscribed. The connection is the caller's to close.
 * A message that is not JSON, or a handler that throws, never crashes the worker: `onError` hears it.
 */
export async function subscribeControl(
  subscriber: RedisClient,
  prefix: string,
  onMessage: (message: ControlMessage) => void,
  onError: (problem: string, error: unknown) => void = () => undefined,
): Promise<void> {
  const name = controlChannelName(prefix);
  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== name) return;
    let message: ControlMessage;
    try {
      message = JSON.parse(text) as ControlMessage;
    } catch (error) {
      onError('a control message that is not JSON was ignored', error);
      return;
    }
    try {
      onMessage(message);
    } catch (error) {
      onError('handling a control message failed', error);
    }
  });
  await whenReady(subscriber);
  await subscriber.subscribe(name);
}
