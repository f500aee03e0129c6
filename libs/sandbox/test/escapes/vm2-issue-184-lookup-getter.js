// Source: vm2 issue #184 (https://github.com/patriksimek/vm2/issues/184), test/vm.js
// "__lookupGetter__ / __lookupSetter__ attack".
// Tried: use Object.prototype.__lookupGetter__ on host functions to get the raw host `__proto__`
// getter, and walk host prototypes up to the host Function / Object.
const out = {};
const viaHost = Buffer.from.__lookupGetter__('__proto__');
const viaCall = Object.prototype.__lookupGetter__.call(Buffer.from, '__proto__');
out.same = viaHost === viaCall;
for (const [label, g] of [['Buffer.from.__lookupGetter__', viaHost], ['__lookupGetter__.call', viaCall]]) {
  try {
    let p = Buffer.from;
    for (let i = 0; i < 6 && p; i++) {
      p = g.call(p);
      __wr.use(p, label + ' proto ' + i);
    }
  } catch (e) { out[label] = String(e.message); }
}
return out;
