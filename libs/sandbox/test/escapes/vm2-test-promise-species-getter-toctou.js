// Source: vm2 test/vm.js "Symbol.species getter TOCTOU attack via Promise" and docs/ATTACKS.md Category 3.
// Tried: a Symbol.species getter that answers Promise on the first read and a fake class afterwards.
const out = {};
async function fn() {
  const e = new Error();
  e.name = Symbol();
  return e.stack;
}
let first = true;
const p = fn();
try {
  p.constructor = {
    get [Symbol.species]() {
      if (first) { first = false; return Promise; }
      return class FakePromise { constructor(executor) { executor((x) => x, (err) => { out.rejectCalled = true; __wr.use(err, 'reject'); }); } };
    },
  };
  p.then();
} catch (e) { out.error = String(e.message); }
await p.then(() => undefined, () => undefined);
return out;
