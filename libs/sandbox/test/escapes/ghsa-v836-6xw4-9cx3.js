// Source: vm2 test/ghsa/GHSA-v836-6xw4-9cx3 (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's
// lib/setup-sandbox.js comment for it): ArrayBuffer, SharedArrayBuffer, every TypedArray and
// WebAssembly.Memory allocate host memory past bufferAllocLimit in one uninterruptible call
// (`new ArrayBuffer(1 << 30)`), also when the constructor is recovered from an instance.
// Tried: each allocator, directly and through `.constructor` walks; each must fail cleanly (or be
// stopped by the memory cap) without hurting the thread.
const out = {};
const size = 1 << 30;
const forms = {
  ArrayBuffer: () => new ArrayBuffer(size).byteLength,
  walkedArrayBuffer: () => new (new Uint8Array(0).buffer.constructor)(size).byteLength,
  SharedArrayBuffer: () => (typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(size).byteLength : 'absent'),
  Uint8Array: () => new Uint8Array(size).length,
  Float64Array: () => new Float64Array(size / 8).length,
  walkedTypedArray: () => new (Object.getPrototypeOf(Uint8Array))(size),
  resizable: () => new ArrayBuffer(8, { maxByteLength: size }).resize(size),
  wasmMemory: () => new WebAssembly.Memory({ initial: 16384 }).buffer.byteLength,
};
for (const [name, run] of Object.entries(forms)) {
  try { out[name] = run(); } catch (e) { out[name] = String(e.message).slice(0, 80); }
}
return out;
