// Source: vm2 test/vm.js "Object.defineProperty override attack via Promise species" and
// docs/ATTACKS.md Category 7 ("Override Object.defineProperty to prevent species reset").
// Tried: disable Object.defineProperty so vm2 could not reset the promise species, then give an
// async function's promise a fake species whose reject receives the host TypeError of a
// Symbol-named error's stack.
const out = {};
try { Object.defineProperty = () => {}; } catch (e) { out.override = String(e.message); }
async function fn() {
  const e = new Error();
  e.name = Symbol();
  return e.stack;
}
const p = fn();
try {
  p.constructor = {
    [Symbol.species]: class FakePromise {
      constructor(executor) {
        executor((x) => x, (err) => { out.rejectCalled = true; __wr.use(err, 'fake species reject'); });
      }
    },
  };
} catch (e) { out.constructor = String(e.message); }
try { p.then(); } catch (e) { out.then = String(e.message); }
await p.then((v) => { out.fulfilled = typeof v; }, (e) => __wr.use(e, 'rejection'));
return out;
