// Source: vm2 test/vm.js "Promise.all static method stealing attack", "Promise.try static method
// stealing attack", "Reflect.construct Promise species bypass attack" and docs/ATTACKS.md Category 7.
// Tried: call Promise.all / Promise.try / Promise.race / Promise.any / Promise.allSettled /
// Promise.resolve with `this` = a fake constructor whose reject receives the host error of an
// iteration or callback; and Reflect.construct(Promise, …, FakePromise) to dodge the instanceof check.
const out = {};
function FakePromise(executor) {
  executor((x) => x, (err) => { out.rejectCalled = (out.rejectCalled || 0) + 1; __wr.use(err, 'fake reject'); });
}
const hostError = () => { const e = new Error(); e.name = Symbol(); return e.stack; };
for (const name of ['all', 'race', 'any', 'allSettled']) {
  try {
    FakePromise[name] = Promise[name];
    FakePromise.resolve = () => {};
    FakePromise[name]({ [Symbol.iterator]: hostError });
  } catch (e) { out[name] = String(e.message).slice(0, 80); }
}
try {
  if (typeof Promise.try === 'function') { FakePromise.t = Promise.try; FakePromise.t(hostError); } else out.try = 'absent';
} catch (e) { out.try = String(e.message).slice(0, 80); }
try {
  FakePromise.r = Promise.resolve;
  FakePromise.r({ get then() { return hostError(); } });
} catch (e) { out.resolve = String(e.message).slice(0, 80); }
try {
  FakePromise[Symbol.species] = FakePromise;
  const res = Reflect.construct(Promise, [hostError], FakePromise);
  res.then = Promise.prototype.then;
  res.then();
} catch (e) { out.reflectConstruct = String(e.message).slice(0, 80); }
await sleep(20);
return out;
