// Source: vm2 test/vm.js "Symbol.for dangerous Node.js symbols isolation", "Symbol extraction via
// Object.getOwnPropertySymbols on host objects", "Symbol extraction via spread operator on host
// objects" and docs/ATTACKS.md Category 8.
// Tried: obtain the real `nodejs.util.inspect.custom` / `nodejs.rejection` symbols from host objects
// (getOwnPropertySymbols, Reflect.ownKeys, getOwnPropertyDescriptors, Object.assign, spread, a
// Proxy set trap) and register a hook under them that host code would call with host arguments.
const out = { found: [] };
const wanted = ['nodejs.util.inspect.custom', 'nodejs.rejection'];
const consider = (label, key) => {
  if (typeof key === 'symbol' && wanted.includes(key.description)) out.found.push(label + ':' + key.description);
};
const sources = [Buffer.prototype, Buffer, Error.prototype, URL.prototype, URLSearchParams.prototype, TextEncoder.prototype, crypto];
for (const source of sources) {
  try { Object.getOwnPropertySymbols(source).forEach((s) => consider('getOwnPropertySymbols', s)); } catch (e) {}
  try { Reflect.ownKeys(source).forEach((s) => consider('ownKeys', s)); } catch (e) {}
  try { Object.getOwnPropertySymbols(Object.getOwnPropertyDescriptors(source)).forEach((s) => consider('descriptors', s)); } catch (e) {}
  try { const t = {}; Object.assign(t, source); Object.getOwnPropertySymbols(t).forEach((s) => consider('assign', s)); } catch (e) {}
  try { const { ...spread } = source; Object.getOwnPropertySymbols(spread).forEach((s) => consider('spread', s)); } catch (e) {}
  try { Object.assign(new Proxy({}, { set(t, k) { consider('proxy set', k); return true; } }), source); } catch (e) {}
}
try { Array.prototype.splice = function () {}; } catch (e) {}
out.symbolForIsolated = Symbol.for('nodejs.util.inspect.custom') !== Symbol.for('nodejs.util.inspect.custom' + '');
const hook = {};
for (const name of wanted) {
  hook[Symbol.for(name)] = function (depth, options, inspect) { __wr.use(inspect, 'hook ' + name); __wr.use(this, 'hook this'); return 'hook'; };
}
console.log(hook);
try { Promise.reject(hook).catch(() => undefined); } catch (e) {}
return out;
