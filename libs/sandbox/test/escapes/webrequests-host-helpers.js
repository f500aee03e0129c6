// Source: written for webrequests (no public PoC): the constructor-chain, prototype-walk and
// descriptor attacks of vm2's docs/ATTACKS.md Categories 1, 2, 10 and 15, aimed at the host objects
// this sandbox adds to vm2's defaults — crypto (createHash, createHmac, timingSafeEqual, randomUUID
// and the digest objects they return), URL, URLSearchParams, TextEncoder, TextDecoder, the per-run
// console/sleep, and the errors those host functions throw.
// Tried: `.constructor`, `.constructor.constructor`, `__proto__` walks with the host getter,
// descriptors of `constructor`, and host callbacks (getters, toString) run by those helpers.
const out = { tried: 0 };
const hostValues = {
  createHash: crypto.createHash, createHmac: crypto.createHmac, timingSafeEqual: crypto.timingSafeEqual, randomUUID: crypto.randomUUID, crypto,
  digest: crypto.createHash('sha256'), hmac: crypto.createHmac('sha256', 'k'), update: crypto.createHash('sha256').update, digestFn: crypto.createHash('sha256').digest,
  digestBuffer: crypto.createHash('sha256').update('x').digest(), URL, url: new URL('http://a.test/?a=1'), searchParams: new URL('http://a.test/?a=1').searchParams,
  URLSearchParams, params: new URLSearchParams('a=1'), entries: new URLSearchParams('a=1').entries(), TextEncoder, encoder: new TextEncoder(), encoded: new TextEncoder().encode('x'),
  TextDecoder, decoder: new TextDecoder(), console, log: console.log, sleep, sleepPromise: sleep(0), Buffer, bufferFrom: Buffer.from,
};
for (const [name, boom] of Object.entries({ urlError: () => new URL(''), hashError: () => crypto.createHash('nope'), hmacError: () => crypto.createHmac('sha256'), equalError: () => crypto.timingSafeEqual('a', 'bb'), decodeError: () => new TextDecoder('nope') })) {
  try { boom(); } catch (e) { hostValues[name] = e; }
}
let protoGetter;
try { protoGetter = Buffer.call.call(({}).__lookupGetter__, 1, '__proto__'); } catch (e) {}
for (const [name, value] of Object.entries(hostValues)) {
  out.tried++;
  __wr.use(value, name);
  try { __wr.use(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(value), 'constructor').value, name + ' prototype constructor descriptor'); } catch (e) {}
  let p = value;
  for (let i = 0; i < 6 && p; i++) {
    try { p = typeof protoGetter === 'function' ? protoGetter.call(p) : Object.getPrototypeOf(p); } catch (e) { break; }
    __wr.use(p, name + ' proto ' + i);
  }
}
const reflect = { toString() { __wr.use(this, 'this of a coerced object'); return 'sha256'; }, get length() { return 1; } };
try { crypto.createHash(reflect); } catch (e) {}
try { crypto.createHmac('sha256', reflect); } catch (e) {}
try { new URL(reflect); } catch (e) {}
try { new URLSearchParams({ get a() { __wr.use(this, 'getter this'); return 1; } }); } catch (e) {}
try { new URLSearchParams({ [Symbol.iterator]: function* () { __wr.use(this, 'iterator this'); yield ['a', 'b']; } }); } catch (e) {}
try { new TextEncoder().encode(reflect); } catch (e) {}
try { new URLSearchParams('a=1').forEach(function (value, key, self) { __wr.use(self, 'forEach self'); __wr.use(this, 'forEach this'); }, hostValues.params); } catch (e) {}
return out;
