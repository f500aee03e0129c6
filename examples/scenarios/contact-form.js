// A website's contact form, posted from the browser (CORS). The scenario answers the preflight itself
// and allows any origin, as in Bpium; list origins on the endpoint instead to have the ingress do it.
const cors = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};
if (method === 'OPTIONS') return { $status: 204, $headers: cors, $body: null };

const email = String(body.email ?? '').trim();
const message = String(body.message ?? '').trim();
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || message === '') {
  return { $status: 422, $headers: cors, ok: false, error: 'email and message are required' };
}
console.info('contact form received', { email, length: message.length });
return { $headers: cors, ok: true, received: { email, message } };
