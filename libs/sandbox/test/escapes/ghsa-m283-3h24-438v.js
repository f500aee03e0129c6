// Source: vm2 test/ghsa/GHSA-m283-3h24-438v/repro.js (CVE-2026-47686, fixed after vm2 3.11.2, by 3.12.2): Error.cause
// of a host error (and of SuppressedError/AggregateError sub-errors) carried a functional proxy of a
// host object such as `process`. The originals need an embedder host function throwing
// `new Error('fail', { cause: process })`; in this sandbox the host errors come from URL, crypto,
// Buffer and TextDecoder, so the PoC walks `.cause` (and other own properties) of every one of them,
// also when wrapped in SuppressedError / AggregateError / a sandbox Error's cause, and cyclic.
const out = {};
const hostErrors = {};
for (const [name, boom] of Object.entries({ url: () => new URL(''), hash: () => crypto.createHash('nope'), alloc: () => Buffer.alloc(-1), decode: () => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])), hmac: () => crypto.createHmac('sha256', Symbol()) })) {
  try { boom(); } catch (e) { hostErrors[name] = e; }
}
const walk = (e, label, depth = 0) => {
  if (!e || depth > 4) return;
  __wr.use(e, label);
  let keys = [];
  try { keys = Reflect.ownKeys(e); } catch (x) {}
  for (const key of keys.concat(['cause', 'errors', 'error', 'suppressed', 'code', 'detail'])) {
    let value;
    try { value = e[key]; } catch (x) { continue; }
    if (value && (typeof value === 'object' || typeof value === 'function')) walk(value, label + '.' + String(key), depth + 1);
  }
};
for (const [name, e] of Object.entries(hostErrors)) {
  out[name] = String(e && e.name) + ' cause=' + typeof (e && e.cause);
  walk(e, name);
  try { throw new Error('outer', { cause: e }); } catch (outer) { walk(outer, name + ' as cause'); }
  try { throw new AggregateError([e], 'agg'); } catch (agg) { walk(agg, name + ' in AggregateError'); }
  if (typeof SuppressedError === 'function') { try { throw new SuppressedError(e, new Error('s'), 'sup'); } catch (sup) { walk(sup, name + ' in SuppressedError'); } }
  await Promise.reject(e).catch((r) => walk(r, name + ' via catch'));
}
const a = new Error('a');
const b = new Error('b', { cause: a });
a.cause = b;
try { throw b; } catch (e) { out.cyclic = e.cause.cause === e; }
return out;
