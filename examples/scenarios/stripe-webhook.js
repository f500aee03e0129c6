// A Stripe webhook receiver. The endpoint checks the Stripe-Signature header (auth: hmac, preset
// stripe, with the endpoint's signing secret "stripe-webhook", and a 5-minute timestamp tolerance)
// before this scenario runs, and de-duplicates on the event's id (dedup: body:id), so Stripe's retries
// of the same event do not book the same payment twice: they get the first answer back, with
// Idempotent-Replayed: true. Set the secret with `printf %s "$WHSEC" | npm run catalog -- secret set
// stripe-webhook`. Endpoint URL in Stripe's dashboard: https://<host>/api/webrequest/hooks/stripe.
const kind = String(body.type ?? 'unknown');
const object = body.data?.object ?? {};

if (kind === 'payment_intent.succeeded' || kind === 'checkout.session.completed') {
  console.info('payment received', { event: body.id, amount: object.amount ?? object.amount_total ?? null, currency: object.currency ?? null });
  return { received: true, event: body.id, booked: { amount: object.amount ?? object.amount_total ?? null, currency: object.currency ?? null } };
}
if (kind === 'charge.refunded') {
  console.info('refund', { event: body.id, charge: object.id ?? null });
  return { received: true, event: body.id, refunded: object.id ?? null };
}
// Stripe wants a 2xx for every event it sends, handled or not; anything else it retries for days.
return { received: true, event: body.id ?? null, ignored: kind };
