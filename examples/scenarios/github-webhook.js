// A GitHub webhook receiver. The endpoint checks GitHub's signature before this scenario runs (auth:
// hmac, preset github, over the exact body with the secret "github-webhook"), and remembers each
// X-GitHub-Delivery for a day (dedup), so a forged delivery never reaches this code and a redelivery
// answers what the first one did. Set the secret (the value you enter on GitHub) with
// `printf %s "$SECRET" | npm run catalog -- secret set github-webhook`. Payload URL:
// http://<host>/api/webrequest/hooks/github, content type application/json.
const githubEvent = String(headers['x-github-event'] ?? 'unknown');
const delivery = headers['x-github-delivery'] ?? null;
// A form-encoded delivery (content type application/x-www-form-urlencoded) carries the JSON in `payload`.
const payload = typeof body.payload === 'string' ? JSON.parse(body.payload) : body;
if (githubEvent === 'ping') return { ok: true, event: 'ping', delivery, zen: payload.zen ?? null };

console.info('delivery accepted', { event: githubEvent, action: payload.action ?? null, delivery, verifiedBy: event.auth?.preset ?? null });
return {
  ok: true,
  event: githubEvent,
  action: payload.action ?? null,
  delivery,
  repository: payload.repository?.full_name ?? null,
  sender: payload.sender?.login ?? null,
};
