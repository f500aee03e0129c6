// Source: vm2 test/vm.js "Symbol.hasInstance override to bypass resetPromiseSpecies" and
// docs/ATTACKS.md Category 3.
// Tried: make `p instanceof globalPromise` false so vm2 skips resetting the species, then use a fake
// species to receive the host error.
const out = {};
async function fn() {
  const e = new Error();
  e.name = Symbol();
  return e.stack;
}
try {
  const GP = Object.getPrototypeOf(Promise);
  Object.defineProperty(GP, Symbol.hasInstance, { value: () => false, configurable: true });
} catch (e) { out.hasInstance = String(e.message); }
const p = fn();
try {
  p.constructor = { [Symbol.species]: class FakePromise { constructor(executor) { executor((x) => x, (err) => { out.rejectCalled = true; __wr.use(err, 'reject'); }); } } };
} catch (e) {}
try { p.then(); } catch (e) { out.then = String(e.message); }
await p.then(() => undefined, () => undefined);
return out;
