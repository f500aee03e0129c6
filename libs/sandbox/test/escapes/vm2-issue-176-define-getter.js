// Source: vm2 issue #176 (https://github.com/patriksimek/vm2/issues/176), test/vm.js
// "__defineGetter__ / __defineSetter__ attack".
// Tried: define a getter on the host Buffer.prototype through __defineGetter__ (which vm2 routes
// around its proxies), changing host behaviour and planting a sandbox function on a host prototype.
const out = {};
out.sameDefineGetter = Buffer.prototype.__defineGetter__ === {}.__defineGetter__;
try {
  Buffer.prototype.__defineGetter__('toString', () => () => 'pwned');
  out.toString = Buffer.from('x').toString();
} catch (e) { out.defineGetter = String(e.message); }
try {
  Buffer.prototype.__defineGetter__('__wrPolluted', () => 'polluted');
} catch (e) { out.marker = String(e.message); }
if (Buffer.from('x').__wrPolluted !== undefined) __wr.flag('Buffer.prototype gained a getter');
try {
  global.__defineGetter__('test', () => 123);
  out.globalGetter = global.test;
} catch (e) { out.globalGetter = String(e.message); }
return out;
