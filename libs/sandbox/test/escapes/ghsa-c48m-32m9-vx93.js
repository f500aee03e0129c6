// Source: vm2 advisory GHSA-c48m-32m9-vx93 (test/ghsa/GHSA-c48m-32m9-vx93/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): the external-module allowlist matched a substring of the specifier, not the whole package name.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require a package whose name contains an allowed name.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    __wr.use(req('evil-allowed-name'), 'substring match');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
