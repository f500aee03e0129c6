// Source: vm2 test/ghsa/GHSA-x6m4-chr9-cg97/repro.js (fixed after vm2 3.11.2, by 3.12.2), a bypass of GHSA-v27g: a host
// error's `.stack` was formatted by the host and crossed verbatim, with absolute host paths (vm2's
// lib/transformer.js, Node internals, the embedding application). Information disclosure; the PoC
// returns every stack it can read and the test fails if a host path is in the outcome.
// Tried: eval("@@@ catch") (vm2's host transformer throws), host TypeErrors from Buffer/URL/crypto,
// read as e.stack, its descriptor (value or accessor), Reflect.get and __lookupGetter__.
const out = {};
const errors = {};
for (const [name, boom] of Object.entries({ eval: () => eval('@@@ catch'), buffer: () => Buffer.from(Symbol()), url: () => new URL(''), hash: () => crypto.createHash('nope'), alloc: () => Buffer.alloc(-1), Function: () => Function('@@@') })) {
  try { boom(); } catch (e) { errors[name] = e; }
}
for (const [name, e] of Object.entries(errors)) {
  const reads = [];
  try { reads.push(String(e.stack)); } catch (x) {}
  try { const d = Object.getOwnPropertyDescriptor(e, 'stack'); if (d) { if (d.get) reads.push(String(d.get.call(e))); else reads.push(String(d.value)); } } catch (x) {}
  try { reads.push(String(Reflect.get(e, 'stack'))); } catch (x) {}
  try { const g = e.__lookupGetter__('stack'); if (typeof g === 'function') reads.push(String(g.call(e))); } catch (x) {}
  try { reads.push(String(e.message)); } catch (x) {}
  out[name] = reads;
}
return out;
