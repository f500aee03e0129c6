'use strict';

/**
 * What endpoint protection adds to one request, measured apart from the rest of the stack (whose
 * sandbox dominates the full-stack cases on a small machine): verifying a GitHub signature over a
 * small body (CPU), and the de-duplication claim, one Redis `SET NX GET` over loopback. Run after
 * `npm run build`: `node bench/protection-cost.js` (needs `redis-server` on the PATH).
 */
const { createHmac, randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const Redis = require('ioredis');
const { obtainRedis } = require('@webrequests/local-redis');
const { verifyAuth } = require('@webrequests/protection');

const VERIFICATIONS = 100_000;
const CLAIMS = 20_000;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const body = Buffer.from(JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }));
  const secret = randomBytes(20).toString('hex');
  const request = { headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }, rawBody: body };
  const auth = { type: 'hmac', preset: 'github', secret: 'github-webhook' };
  for (let i = 0; i < 20_000; i++) verifyAuth(auth, request, secret);
  const started = performance.now();
  for (let i = 0; i < VERIFICATIONS; i++) if (!verifyAuth(auth, request, secret).ok) throw new Error('the signature did not verify');
  const verifyUs = ((performance.now() - started) * 1000) / VERIFICATIONS;

  const server = await obtainRedis({ log: () => undefined });
  const redis = new Redis(server.url);
  try {
    const claim = (i) => redis.call('SET', `{wr}:dedup:bench:${i}`, 'p', 'PX', '60000', 'NX', 'GET');
    for (let i = 0; i < 2000; i++) await claim(`warm-${i}`);
    const times = [];
    for (let i = 0; i < CLAIMS; i++) {
      const at = performance.now();
      await claim(i);
      times.push(performance.now() - at);
    }
    times.sort((a, b) => a - b);
    console.log(`verify a github signature (${body.length}-byte body): ${verifyUs.toFixed(1)} µs per request (${VERIFICATIONS} runs)`);
    console.log(`dedup claim, SET NX GET over loopback: p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms (${CLAIMS} claims)`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(`protection-cost: ${error.message}`);
  process.exitCode = 1;
});
