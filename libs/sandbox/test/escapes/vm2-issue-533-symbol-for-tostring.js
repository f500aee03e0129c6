// Source: vm2 issue #533, comment by XmiliaH (2023-10-05), bug 2 of 4: "You can pass in an object that
// later gets converted to a string in Symbol.for after the check".
// Tried: `Symbol.for({ toString: () => 'nodejs.util.inspect.custom' })`, then the inspect-hook payload.
const customInspectSymbol = Symbol.for({ toString: () => 'nodejs.util.inspect.custom' });
const out = { symbol: String(customInspectSymbol) };
const obj = {
  [customInspectSymbol]: (depth, opt, inspect) => { out.hook = true; __wr.use(inspect, 'inspect argument'); return 'x'; },
  valueOf: undefined,
  constructor: undefined,
};
try { await WebAssembly.compileStreaming(obj).catch(() => undefined); } catch (e) { out.compileStreaming = String(e.message).slice(0, 80); }
console.log(obj);
return out;
