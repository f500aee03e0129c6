#!/usr/bin/env node
/**
 * Signs a webhook delivery the way its provider does, so that tests check `verifyAuth` against the
 * providers' own code rather than against itself: Stripe, GitHub (@octokit/webhooks-methods),
 * Standard Webhooks and Svix sign with their libraries; Slack and Shopify, which publish no sender,
 * with their documented schemes written out here. ESM (two of the libraries are ESM-only), so Jest
 * runs it as a child process: `test-support/senders.ts`.
 *
 * stdin: JSON `{ provider, also?, secret, body, timestampSeconds?, id?, secretFormat? }` — `provider`
 * and each of `also` one of the names below, all signing the same delivery (one timestamp, one id);
 * `body` the raw body as text; `secretFormat: 'raw'` passes Standard Webhooks and Svix the secret's
 * characters as the key instead of base64-decoding it.
 * stdout: JSON, the headers the delivery carries, with lower-case names as Node reports them.
 */
import { createHmac, randomUUID } from 'node:crypto';

// Each library is loaded only by the sender that uses it: Stripe's and Svix's take most of a run's time.

const SENDERS = {
  github: async ({ secret, body, id }) => {
    const { sign } = await import('@octokit/webhooks-methods');
    return { 'x-github-delivery': id, 'x-hub-signature-256': await sign(secret, body) };
  },
  stripe: async ({ secret, body, timestampSeconds }) => {
    const { default: Stripe } = await import('stripe');
    return { 'stripe-signature': new Stripe('sk_test_x').webhooks.generateTestHeaderString({ payload: body, secret, timestamp: timestampSeconds }) };
  },
  // https://api.slack.com/authentication/verifying-requests-from-slack: v0= HMAC-SHA256 hex of `v0:<timestamp>:<body>`.
  slack: ({ secret, body, timestampSeconds }) => ({
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`,
  }),
  // Shopify's webhook docs (shopify.dev, verifying webhooks): base64 HMAC-SHA256 of the raw body, keyed by the app's client secret.
  shopify: ({ secret, body, id }) => ({
    'x-shopify-webhook-id': id,
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
  }),
  'standard-webhooks': async (delivery) => standardHeaders('webhook', (await import('standardwebhooks')).Webhook, delivery),
  svix: async (delivery) => standardHeaders('svix', (await import('svix')).Webhook, delivery),
};

function standardHeaders(prefix, Webhook, { secret, secretFormat, body, timestampSeconds, id }) {
  const webhook = new Webhook(secret, secretFormat === 'raw' ? { format: 'raw' } : undefined);
  return {
    [`${prefix}-id`]: id,
    [`${prefix}-timestamp`]: String(timestampSeconds),
    [`${prefix}-signature`]: webhook.sign(id, new Date(timestampSeconds * 1000), body),
  };
}

async function main() {
  const input = JSON.parse(await readStdin());
  const delivery = { timestampSeconds: Math.floor(Date.now() / 1000), id: `msg_${randomUUID()}`, ...input };
  const headers = {};
  for (const provider of [input.provider, ...(input.also ?? [])]) {
    const sender = Object.hasOwn(SENDERS, provider) ? SENDERS[provider] : undefined;
    if (!sender) throw new Error(`unknown provider "${provider}"; known: ${Object.keys(SENDERS).join(', ')}`);
    Object.assign(headers, await sender(delivery));
  }
  process.stdout.write(JSON.stringify(headers));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

main().catch((error) => {
  process.stderr.write(`webhook-senders: ${error.message}\n`);
  process.exit(1);
});
