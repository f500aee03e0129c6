// Source: vm2 test/vm.js "Monkey patching attack" and docs/ATTACKS.md Category 11.
// Tried: throwing getters/setters for '0', 'get', 'set', 'apply', 'call', 'length' on Object.prototype
// and for call/apply/bind on Function.prototype, so that vm2's own code trips over them while passing
// values between host and sandbox.
const out = {};
function onget() { throw new Error('onget'); }
function onset() { throw new Error('onset'); }
const desc = { __proto__: null, get: onget, set: onset };
try {
  Object.defineProperties(Object.prototype, { __proto__: null, 0: desc, get: desc, set: desc, apply: desc, call: desc, 1: desc, length: desc });
} catch (e) { out.object = String(e.message); }
try {
  Object.defineProperties(Function.prototype, { __proto__: null, call: desc, apply: desc, bind: desc });
} catch (e) { out.function = String(e.message); }
try {
  out.hash = crypto.createHash('sha1').update('x').digest('hex').length;
  new URLSearchParams('a=1').forEach((v, k, self) => __wr.use(self, 'forEach third argument'));
} catch (e) { out.call = String(e.message); }
return out;
