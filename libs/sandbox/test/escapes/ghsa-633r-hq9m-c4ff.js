// Source: vm2 test/ghsa/GHSA-633r-hq9m-c4ff/repro.js (fixed after vm2 3.11.2, by 3.12.2): vm.freeze()'s read-only
// view still handed out the setters of accessor properties, which ran on the host object. The host
// objects this sandbox shares across runs (URL, URLSearchParams, TextEncoder/Decoder classes and
// prototypes, crypto) are frozen host-side; their accessors are the target here.
// Tried: every setter reachable through getOwnPropertyDescriptor(s) / __lookupSetter__ /
// Reflect.getOwnPropertyDescriptor on the shared objects, called on the shared object itself and on
// an instance, plus a marker write; the final scenario of the test checks no marker leaked.
const out = { setters: 0, ran: 0 };
const shared = { URL, 'URL.prototype': URL.prototype, URLSearchParams, 'URLSearchParams.prototype': URLSearchParams.prototype, TextEncoder, 'TextEncoder.prototype': TextEncoder.prototype, TextDecoder, 'TextDecoder.prototype': TextDecoder.prototype, crypto };
const instance = new URL('http://a.test/');
for (const [name, object] of Object.entries(shared)) {
  let descriptors = {};
  try { descriptors = Object.getOwnPropertyDescriptors(object); } catch (e) {}
  for (const key of Reflect.ownKeys(descriptors)) {
    const set = descriptors[key] && descriptors[key].set;
    const viaLookup = (() => { try { return object.__lookupSetter__(key); } catch (e) { return undefined; } })();
    for (const setter of [set, viaLookup]) {
      if (typeof setter !== 'function') continue;
      out.setters++;
      for (const target of [object, instance]) { try { setter.call(target, 'http://pwned.test/'); out.ran++; } catch (e) {} }
      __wr.use(setter, name + '.' + String(key) + ' setter');
    }
  }
  try { object.__wrPolluted = 'x'; } catch (e) {}
  try { Object.defineProperty(object, '__wrPolluted', { value: 'x' }); } catch (e) {}
}
out.instanceHref = instance.href;
return out;
