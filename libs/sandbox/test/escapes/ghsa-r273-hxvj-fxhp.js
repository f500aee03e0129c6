// Source: vm2 advisory GHSA-r273-hxvj-fxhp (test/ghsa/GHSA-r273-hxvj-fxhp/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): the sandbox copy of `util` was `Object.assign({}, util)`, exposing unreviewed host members.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: every member of require('util').
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const util = req('util'); for (const key of Object.keys(util)) __wr.use(util[key], 'util.' + key);
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
