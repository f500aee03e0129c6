// Source: vm2 test/ghsa/GHSA-6785-pvv7-mvg7/repro.js (fixed in vm2 3.11.0 with `bufferAllocLimit`,
// which this sandbox sets to its memory cap): a host-heap DoS through one uninterruptible
// Buffer.alloc. The escape here is to hurt the host; the test still requires a clean failure.
// Tried: allocate far past the sandbox's memory cap with every Buffer allocation form.
const out = {};
const size = 1024 * 1024 * 1024;
const forms = {
  alloc: () => Buffer.alloc(size),
  allocUnsafe: () => Buffer.allocUnsafe(size),
  allocUnsafeSlow: () => Buffer.allocUnsafeSlow(size),
  call: () => Buffer(size),
  newBuffer: () => new Buffer(size),
};
for (const [name, make] of Object.entries(forms)) {
  try { out[name] = make().length; } catch (e) { out[name] = String(e.message).slice(0, 100); }
}
return out;
