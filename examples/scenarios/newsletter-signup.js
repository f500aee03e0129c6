// A newsletter sign-up posted by a web page's script. Unlike the contact form, CORS is not this
// scenario's job: webrequests.json lists the origins allowed to call it, so the ingress answers the
// preflight itself and adds the CORS headers to every answer, the async ones and errors included.
const email = String(body.email ?? '').trim().toLowerCase();
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
  return { $status: 422, ok: false, error: 'a valid email is required' };
}
console.info('newsletter sign-up', { email });
return { ok: true, subscribed: email };
