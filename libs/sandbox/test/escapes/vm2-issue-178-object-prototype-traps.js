// Source: vm2 issue #178 (https://github.com/patriksimek/vm2/issues/178), test/vm.js "proxy trap via
// Object.prototype attack" and docs/ATTACKS.md Category 14.
// Tried: define `has`/`apply` on Object.prototype so that vm2's proxy handlers (if they inherited
// from Object.prototype) used them as traps, receiving the raw host target.
const out = {};
let proc;
try {
  Object.prototype.has = (t, k) => { __wr.use(t, 'has trap target'); proc = t.constructor('return process')(); };
  out.in = '' in Buffer.from;
} catch (e) { out.has = String(e.message); }
__wr.use(proc, 'process from the has trap');
try {
  Object.defineProperty(Object.prototype, 'apply', { set(o, v) { delete Object.prototype.apply; } });
  __wr.use(Buffer.from('').constructor.constructor, 'Buffer.from("").constructor.constructor');
} catch (e) { out.apply = String(e.message); }
return out;
