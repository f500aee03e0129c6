// Source: vm2 test/ghsa/GHSA-647f-g98j-qq25/repro.js (fixed after vm2 3.11.2, by 3.12.2), a bypass of the
// GHSA-m283 fix: registering onRejected through call/apply indirection skipped the sanitiser. The
// original rejects a host promise with an error carrying `detail = process`; this sandbox has no
// host promise, so the same registration forms run on promises rejected with host errors.
// Tried: then.call, then.apply, then.call.call, then.apply.call, catch.call, catch.apply,
// then.call.apply, then.apply.apply, then.call.call.call, Reflect.apply and bind.
const out = {};
const reason = () => { try { new URL(''); } catch (e) { e.detail = crypto.createHash; return e; } };
const forms = {
  'p.then.call(p, undefined, cb)': (p, cb) => p.then.call(p, undefined, cb),
  'p.then.apply(p, [undefined, cb])': (p, cb) => p.then.apply(p, [undefined, cb]),
  'p.then.call.call(p.then, p, undefined, cb)': (p, cb) => p.then.call.call(p.then, p, undefined, cb),
  'p.then.apply.call(p.then, p, [undefined, cb])': (p, cb) => p.then.apply.call(p.then, p, [undefined, cb]),
  'p.catch.call(p, cb)': (p, cb) => p.catch.call(p, cb),
  'p.catch.apply(p, [cb])': (p, cb) => p.catch.apply(p, [cb]),
  'p.then.call.apply(p.then, [p, undefined, cb])': (p, cb) => p.then.call.apply(p.then, [p, undefined, cb]),
  'p.then.apply.apply(p.then, [p, [undefined, cb]])': (p, cb) => p.then.apply.apply(p.then, [p, [undefined, cb]]),
  'p.then.call.call.call(p.then.call, p.then, p, undefined, cb)': (p, cb) => p.then.call.call.call(p.then.call, p.then, p, undefined, cb),
  'Reflect.apply(p.then, p, [undefined, cb])': (p, cb) => Reflect.apply(p.then, p, [undefined, cb]),
  'p.then.bind(p, undefined, cb)()': (p, cb) => p.then.bind(p, undefined, cb)(),
};
for (const [label, register] of Object.entries(forms)) {
  const p = Promise.reject(reason());
  try {
    register(p, (e) => { out[label] = 'called'; __wr.use(e, label); __wr.use(e && e.detail, label + ' .detail'); });
  } catch (e) { out[label] = String(e.message).slice(0, 50); }
  p.catch(() => undefined);
}
await sleep(20);
return out;
