// Source: vm2 test/ghsa/GHSA-hw58-p9xv-2mjh/repro.js (fixed in vm2 3.11.0, with known residuals the
// file pins): a sandbox promise that rejects with nothing attached becomes a host unhandled rejection,
// which by Node's default kills the host process. Here the thread must survive and the run end cleanly.
// Tried: the canonical executor PoC and the three residuals (async function, async generator
// .next(), throwing Symbol.asyncDispose under `await using`, the last through eval).
const out = {};
new Promise(function (r, j) { const e = new Error(); e.name = Symbol(); e.stack; });
new Promise(function (r, j) { throw new Error('boom'); });
(async function () { const e = new Error(); e.name = Symbol(); e.stack; })();
(async function* () { throw new Error('gen'); })().next();
(async function () { throw { toString() { return 'object reason'; } }; })();
Promise.reject(Symbol('a symbol reason'));
try {
  eval('(async () => { await using x = { [Symbol.asyncDispose]() { throw Symbol(); } }; })()');
} catch (e) { out.awaitUsing = String(e.message).slice(0, 80); }
await sleep(30);
out.alive = true;
return out;
