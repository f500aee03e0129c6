// Source: vm2 test/vm.js "Node internal prepareStackTrace attack" and docs/ATTACKS.md Category 4
// ("stack overflow to trigger host error constructor").
// Tried: overflow the stack inside `new Error().stack` so that the RangeError comes from Node's host
// prepareStackTrace callback; climb its constructor to the host Function.
const out = {};
function stack() {
  new Error().stack;
  stack();
}
try {
  stack();
} catch (e) {
  out.caught = String(e && e.name);
  __wr.use(e, 'stack overflow error');
}
return out;
