// A GitHub webhook receiver that trusts nothing before it has checked the signature: GitHub signs the
// exact body with the webhook's secret (HMAC-SHA256, header X-Hub-Signature-256: sha256=<hex>), so the
// scenario recomputes it over rawBody and compares in constant time. The secret is a constant here to
// keep the example self-contained: enter the same value as the webhook's secret on GitHub, and use your
// own secret in a real deployment. Payload URL: http://<host>/api/webrequest/hooks/github, JSON.
const SECRET = 'webrequests-example-secret';

const given = Buffer.from(String(headers['x-hub-signature-256'] ?? ''));
const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', SECRET).update(rawBody).digest('hex'));
if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
  console.warn('delivery refused: bad or missing signature', { delivery: headers['x-github-delivery'] ?? null });
  return { $status: 401, ok: false, error: 'bad signature' };
}

const githubEvent = String(headers['x-github-event'] ?? 'unknown');
const delivery = headers['x-github-delivery'] ?? null;
// A form-encoded delivery (content type application/x-www-form-urlencoded) carries the JSON in `payload`.
const payload = typeof body.payload === 'string' ? JSON.parse(body.payload) : body;
if (githubEvent === 'ping') return { ok: true, event: 'ping', delivery, zen: payload.zen ?? null };

console.info('delivery accepted', { event: githubEvent, action: payload.action ?? null, delivery });
return {
  ok: true,
  event: githubEvent,
  action: payload.action ?? null,
  delivery,
  repository: payload.repository?.full_name ?? null,
  sender: payload.sender?.login ?? null,
};
