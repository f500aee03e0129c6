// Source: vm2 issue #174 (https://github.com/patriksimek/vm2/issues/174), test/vm.js "instanceof attack".
// The original needs a host function that calls back (`func: cb => cb()`); URLSearchParams.prototype
// .forEach is such a host function in this sandbox.
// Tried: throw, from a callback the host called, a Proxy whose getPrototypeOf trap throws a function;
// vm2 checked `instanceof` on the thrown value and would call the trap with host arguments.
const out = {};
try {
  new URLSearchParams('a=1').forEach(() => {
    throw new Proxy({}, {
      getPrototypeOf: () => {
        throw (x) => __wr.use(x.constructor.constructor, 'getPrototypeOf thrower');
      },
    });
  });
} catch (e) {
  out.caught = typeof e;
  try { if (typeof e === 'function') e(() => {}); } catch (err) { out.call = String(err.message); }
  __wr.use(e, 'caught value');
}
return out;
