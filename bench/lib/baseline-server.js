'use strict';

/**
 * The baseline: a bare Express 5 app with the ingress's body handling (express.raw for every type, then
 * UTF-8 text and JSON.parse for JSON) and its query parser, answering the scenarios' output directly.
 * Whatever the ingress adds (store, queue, worker, sandbox) is the difference to this ceiling.
 * Forked by the bench; reports `{ kind: 'listening', port }` over IPC.
 */
const express = require('express');

const MAX_BODY_BYTES = 1_048_576;

function parsedBody(req) {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const text = raw.toString('utf8');
  if (raw.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') ? JSON.parse(text) : text;
}

const app = express();
app.disable('x-powered-by');
app.set('query parser', 'extended');
app.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
app.all('/noop', (req, res) => {
  parsedBody(req);
  res.json({ ok: true });
});
app.all('/echo', (req, res) => {
  res.json(parsedBody(req));
});

const server = app.listen(0, '127.0.0.1', () => process.send({ kind: 'listening', port: server.address().port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
