'use strict';

/**
 * The load generator, in its own process so that its CPU is not counted in (or taken from) the process
 * under test. The parent sends `{ kind: 'run', id, options }` over IPC; this answers
 * `{ kind: 'result', id, result }` or `{ kind: 'failed', id, message }`, and exits on `{ kind: 'exit' }`.
 */
const autocannon = require('autocannon');

/** Exact percentiles over every response time (autocannon's histogram has 1 ms steps). */
function percentiles(times, count) {
  const sorted = Float64Array.from(times.subarray(0, count)).sort();
  const at = (p) => (count === 0 ? null : sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]);
  let sum = 0;
  for (const t of sorted) sum += t;
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: at(100), mean: count ? sum / count : null };
}

/**
 * Requests that carry `uniqueHeader` with a value of their own (a delivery id), so that de-duplication
 * sees every request as a new delivery; otherwise the one request autocannon repeats.
 */
function requestsOf(options) {
  if (!options.uniqueHeader) return undefined;
  let next = 0;
  const prefix = `${process.pid}-${Date.now()}-`;
  return [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, [options.uniqueHeader]: `${prefix}${next++}` } }) }];
}

function runLoad(options) {
  return new Promise((resolve, reject) => {
    let times = new Float64Array(1 << 16);
    let count = 0;
    const instance = autocannon(
      {
        url: options.url,
        method: options.method,
        headers: options.headers,
        body: options.body,
        requests: requestsOf(options),
        connections: options.connections,
        duration: options.durationS,
        timeout: options.timeoutS,
        pipelining: 1,
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = result.duration;
        resolve({
          durationS: seconds,
          requests: result.requests.total,
          rps: result.requests.total / seconds,
          latencyMs: percentiles(times, count),
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          resets: result.resets,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count])),
          ok: result['2xx'],
          bytesPerS: result.throughput.average,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (count === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[count++] = responseTime;
    });
  });
}

process.on('message', (message) => {
  if (message.kind === 'exit') process.exit(0);
  if (message.kind !== 'run') return;
  runLoad(message.options).then(
    (result) => process.send({ kind: 'result', id: message.id, result }),
    (error) => process.send({ kind: 'failed', id: message.id, message: String(error && error.stack ? error.stack : error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send({ kind: 'ready' });
