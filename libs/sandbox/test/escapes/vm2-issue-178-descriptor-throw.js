// Source: vm2 issue #178, comment 450904979 (https://github.com/patriksimek/vm2/issues/178#issuecomment-450904979),
// test/vm.js "throw while accessing propertyDescriptor properties".
// Tried: Object.prototype getters for `set`/`get` that fire while vm2 reads a descriptor and throw a
// Proxy whose set trap receives a host value, then assign to the caught Proxy.
const out = {};
let proc;
try {
  Object.defineProperty(Object.prototype, 'set', {
    get() {
      delete Object.prototype.set;
      Object.defineProperty(Object.prototype, 'get', {
        get() {
          delete Object.prototype.get;
          throw new Proxy(Object.create(null), {
            set(t, k, v) { __wr.use(v, 'set trap value'); proc = v.constructor('return process')(); return true; },
          });
        },
        configurable: true,
      });
      return () => {};
    },
    configurable: true,
  });
  try {
    Object.defineProperty(Buffer.from(''), '', {});
  } catch (e) {
    e.x = Buffer.from;
  }
} catch (e) { out.error = String(e.message); }
__wr.use(proc, 'process from the set trap');
return out;
