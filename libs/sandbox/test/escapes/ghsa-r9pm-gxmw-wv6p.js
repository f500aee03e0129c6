// Source: vm2 advisory GHSA-r9pm-gxmw-wv6p (test/ghsa/GHSA-r9pm-gxmw-wv6p/ in vm2's repository; fixed after vm2 3.11.2, by 3.12.2): underscored private builtins (_http_client, _stream_readable, _tls_wrap …) bypassed the allowlist.
// The chain below follows the advisory's repro.js, or vm2's lib/ comment for it where the repro was not read.
// NodeVM only: the advisory needs NodeVM's `require`. A scenario runs in a plain vm2 VM with no
// `require`, `module` or `process`, so the PoC first looks for every way to a `require` the public
// PoCs use (`__wr.eachRequire`), then runs the advisory's chain with whatever it found.
// Tried: require('_http_client') and the other underscored builtins.
const out = {};
await __wr.eachRequire(out, async (req, label) => {
  try {
    for (const name of ['_http_client', '_http_server', '_stream_readable', '_tls_wrap']) { try { __wr.use(req(name), name); } catch (e) {} }
  } catch (e) { out[label + 'Chain'] = String(e && e.message).slice(0, 60); }
});
return out;
