// Source: vm2 test/ghsa/GHSA-2v2p-6j97-cjg9/repro.js (fixed after vm2 3.11.2, by 3.12.2): a rejected host promise
// delivered through a construct trap, a getter or a callback argument, and ignored by the sandbox,
// is an unhandled host rejection that kills the host process. This sandbox exposes no host promise
// or constructor returning one; the PoC leaves every kind of rejection it can make unhandled, through
// host construct paths (Reflect.construct on host classes) and host callbacks, and the thread must
// survive.
const out = {};
for (const Ctor of [URL, URLSearchParams, TextEncoder, TextDecoder]) {
  try { Reflect.construct(Ctor, [{ toString() { Promise.reject(new Error('from a host constructor')); return 'http://a.test/'; } }]); } catch (e) {}
}
try { new URLSearchParams('a=1').forEach(() => Promise.reject(new Error('from a host callback'))); } catch (e) {}
try { crypto.createHash({ toString() { Promise.reject(new Error('from a host coercion')); return 'sha1'; } }); } catch (e) {}
(async () => { throw new URL('http://a.test/'); })();
await sleep(30);
out.alive = true;
return out;
