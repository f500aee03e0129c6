// Source: vm2 test/ghsa/GHSA-mpf8-4hx2-7cjg/repro.js (fixed in vm2 3.11.0): the value a host Promise
// resolves with reached `.then` callbacks unwrapped when its prototype had no sandbox mapping. The
// original exposes a host promise of a null-prototype object; this sandbox exposes no host promise,
// so the PoC resolves sandbox promises with the host objects it can get and checks what arrives.
// Tried: then-callbacks receiving host values (null-proto digest objects, host errors, host functions).
const out = {};
const values = { digest: crypto.createHash('sha1'), hostFn: crypto.createHash, url: new URL('http://a.test/'), encoded: new TextEncoder().encode('x') };
try { new URL(''); } catch (e) { values.hostError = e; }
for (const [name, value] of Object.entries(values)) {
  await Promise.resolve(value).then((v) => {
    out[name] = typeof v;
    __wr.use(v, name + ' delivered by then');
    try { __wr.use(Object.getPrototypeOf(v), name + ' prototype'); } catch (e) {}
  });
  await Promise.reject(value).catch((v) => __wr.use(v, name + ' delivered by catch'));
}
return out;
