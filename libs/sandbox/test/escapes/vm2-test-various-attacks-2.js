// Source: vm2 test/vm.js "various attacks #2" (#1-#6), https://github.com/patriksimek/vm2/blob/main/test/vm.js
// (the host function `boom` of the original is replaced by host functions this sandbox exposes).
// Tried: overriding Object.assign and Array.prototype.map so the bridge calls them with host values;
// a Proxy whose apply trap receives a host function's target/arguments; `vmProxyTarget` leaks.
const out = {};
try {
  Object.assign = function () { throw new Error('Shouldnt be there.'); };
  out.assign = Buffer.from([0]).length;
} catch (e) { out.assign = 'threw ' + e.message; }
try {
  Buffer.alloc(0);
} catch (e) { __wr.use(e, 'Buffer.alloc error'); }
let captured;
try {
  Array.prototype.map = function (callback) { captured = callback(crypto.createHash); return []; };
  crypto.createHash('sha1').update('x');
  if (captured) __wr.use(captured, 'value given to the patched map');
  out.map = typeof captured;
} catch (e) { out.map = 'threw ' + e.message; }
try {
  const proxy = new Proxy(() => {}, {
    apply: (target, context, args) => {
      __wr.use(target, 'apply target');
      __wr.use(args, 'apply args');
      return 1;
    },
  });
  out.proxyCall = new URLSearchParams('a=1').forEach(proxy);
} catch (e) { out.proxyCall = 'threw ' + e.message; }
try {
  global.DEBUG = true;
  out.vmProxyTarget = typeof crypto.createHash.vmProxyTarget;
  __wr.use(crypto.createHash.vmProxyTarget, 'vmProxyTarget');
} catch (e) { out.vmProxyTarget = 'threw ' + e.message; }
out.keysAreArrays = Object.keys(crypto) instanceof Array && Reflect.ownKeys(crypto) instanceof Array;
return out;
