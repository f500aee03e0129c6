// Source: vm2 issue #178, comment 450978210, test/vm.js "Proxy::getOwnPropertyDescriptor attack" and
// docs/ATTACKS.md Category 6.
// Tried: hand Buffer.from a Proxy whose getOwnPropertyDescriptor trap throws a function; whatever vm2
// passes that function would be a host value.
const out = {};
try {
  Buffer.from(new Proxy({}, {
    getOwnPropertyDescriptor() {
      throw (f) => __wr.use(f, 'argument given to the thrown function');
    },
  }));
} catch (e) {
  out.caught = typeof e;
  if (typeof e === 'function') { try { e(() => {}); } catch (err) {} }
  __wr.use(e, 'caught');
}
return out;
