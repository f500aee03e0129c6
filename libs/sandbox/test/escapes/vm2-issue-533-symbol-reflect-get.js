// Source: vm2 issue #533, comment by XmiliaH (2023-10-05), bug 3 of 4: "You can override the
// Reflect.get function to get the real Symbol object".
// Tried: replace Reflect.get so vm2's Symbol.for wrapper hands over the real Symbol, then call its
// unwrapped `for`.
let realSymbol;
const out = {};
try {
  const rg = Reflect.get;
  Reflect.get = (t, p, r) => { realSymbol = t; Reflect.get = rg; };
  Symbol.for;
} catch (e) { out.patch = String(e.message); }
const customInspectSymbol = realSymbol ? realSymbol.for('nodejs.util.inspect.custom') : Symbol.for('nodejs.util.inspect.custom');
out.gotReal = realSymbol !== undefined;
const obj = {
  [customInspectSymbol]: (depth, opt, inspect) => { out.hook = true; __wr.use(inspect, 'inspect argument'); return 'x'; },
  valueOf: undefined,
  constructor: undefined,
};
try { await WebAssembly.compileStreaming(obj).catch(() => undefined); } catch (e) { out.compileStreaming = String(e.message).slice(0, 80); }
console.log(obj);
return out;
