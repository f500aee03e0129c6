import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The ESM command that signs deliveries with the providers' own libraries (see its header). */
export const WEBHOOK_SENDERS_SCRIPT = join(__dirname, 'webhook-senders.mjs');

export type WebhookProvider = 'github' | 'stripe' | 'slack' | 'shopify' | 'standard-webhooks' | 'svix';

/** One delivery to sign. */
export interface Delivery {
  secret: string;
  /** The raw body as text (sent as its UTF-8 bytes). */
  body: string;
  /** The signed time, Unix seconds; default now. */
  timestampSeconds?: number;
  /** The delivery id (Standard Webhooks, Svix, and `X-GitHub-Delivery`, `X-Shopify-Webhook-Id`); default a fresh `msg_<uuid>`. */
  id?: string;
  /** Standard Webhooks and Svix: use the secret's characters as the key instead of base64-decoding it. */
  secretFormat?: 'raw';
}

/**
 * The headers `provider` sends with `delivery`, signed by its own library in a child process (Jest
 * cannot load the ESM-only ones). `alsoSignFor` adds the headers of further providers signing the same
 * delivery with the same timestamp and id, in the same process: one request that carries, say, both
 * the Standard Webhooks and the Svix header families.
 */
export function signWith(provider: WebhookProvider, delivery: Delivery, alsoSignFor: readonly WebhookProvider[] = []): Record<string, string> {
  const input = JSON.stringify({ ...delivery, provider, also: alsoSignFor });
  return JSON.parse(execFileSync(process.execPath, [WEBHOOK_SENDERS_SCRIPT], { input, encoding: 'utf8' })) as Record<string, string>;
}
