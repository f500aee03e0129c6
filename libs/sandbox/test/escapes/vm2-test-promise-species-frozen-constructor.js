// Source: vm2 test/vm.js "Frozen constructor attack via Promise species" and docs/ATTACKS.md
// Category 7 ("Object.freeze to prevent species cleanup").
// Tried: a frozen fake constructor object so vm2 could not overwrite the species before then().
const out = {};
async function fn() {
  const e = new Error();
  e.name = Symbol();
  return e.stack;
}
const p = fn();
try {
  p.constructor = Object.freeze({
    [Symbol.species]: class FakePromise {
      constructor(executor) {
        executor((x) => x, (err) => { out.rejectCalled = true; __wr.use(err, 'fake species reject'); });
      }
    },
  });
} catch (e) { out.constructor = String(e.message); }
try { p.then(); } catch (e) { out.then = String(e.message); }
await p.then(() => undefined, (e) => __wr.use(e, 'rejection'));
return out;
