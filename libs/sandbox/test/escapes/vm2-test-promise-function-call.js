// Source: vm2 test/vm.js "Function.prototype.call attack via Promise" and docs/ATTACKS.md Category 7.
// Tried: replace Function.prototype.call to capture the functions vm2's Promise wrappers call, and
// look for host ones among them.
const captured = [];
try {
  const origCall = Function.prototype.call;
  Function.prototype.call = function (...args) {
    captured.push(this);
    return origCall.apply(this, args);
  };
} catch (e) {}
await Promise.resolve().then(() => undefined);
for (const fn of captured) __wr.use(fn, 'captured by Function.prototype.call');
return { captured: captured.length };
