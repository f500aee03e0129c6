// Source: vm2 test/ghsa/GHSA-27g9-p43v-cw3v/repro.js (Node 26 / V8 14.6: a stale PromiseThenLookupChain
// protector let Promise.prototype.finally call the native `then`, skipping vm2's species reset).
// Tried: give an async function's promise an attacker species, then call finally/then/catch; the
// species constructor would get a native reaction's resolve/reject. The reject path is fed a
// calibrated host error (Symbol-named error stack, stack overflow).
const out = { speciesCalls: 0 };
class Evil {
  constructor(executor) {
    out.speciesCalls++;
    executor((v) => __wr.use(v, 'Evil resolve'), (e) => __wr.use(e, 'Evil reject'));
  }
}
const p = (async () => 1)();
try { Object.defineProperty(p, 'constructor', { value: { [Symbol.species]: Evil }, configurable: true }); } catch (e) { out.define = String(e.message); }
try { p.finally(); } catch (e) { out.finally = String(e.message); }
try { p.then(() => {}); p.catch(() => {}); } catch (e) { out.thenCatch = String(e.message); }
const q = (async () => { const e = new Error(); e.name = Symbol(); return e.stack; })();
try { Object.defineProperty(q, 'constructor', { value: { [Symbol.species]: Evil }, configurable: true }); q.finally(() => {}); } catch (e) { out.rejecting = String(e.message); }
await sleep(20);
return out;
