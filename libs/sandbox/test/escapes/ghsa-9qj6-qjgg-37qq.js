// Source: vm2 test/ghsa/GHSA-9qj6-qjgg-37qq/repro.js (fixed in vm2 3.11.2), docs/ATTACKS.md Category 28.
// Tried: a setter on Array.prototype[0..2] that captures the bridge's own saved-state record while it
// neutralises array species for `new Buffer(a)` / Buffer.from / Buffer.concat, then
// `record.arr.f.constructor.constructor("return process")()`.
const out = {};
const a = [];
const b = [];
for (const idx of [0, 1, 2]) {
  try {
    Object.defineProperty(Array.prototype, idx, {
      configurable: true,
      set(value) {
        out['captured_' + idx] = true;
        try {
          a.f = Buffer.prototype.inspect;
          const arr = value && value.arr;
          __wr.use(arr, 'captured record.arr');
          if (arr && arr.f) __wr.use(arr.f, 'captured record.arr.f');
        } catch (e) { out.setter = String(e.message); }
      },
      get() { out.getterFired = true; return undefined; },
    });
  } catch (e) { out['define_' + idx] = String(e.message).slice(0, 80); }
}
a.f = Buffer.prototype.inspect;
b.f = Buffer.prototype.inspect;
try { new Buffer(a); } catch (e) { out.newBuffer = String(e.message).slice(0, 80); }
try { Buffer.from(a, b); } catch (e) {}
try { Buffer.concat([a, b]); } catch (e) {}
return out;
