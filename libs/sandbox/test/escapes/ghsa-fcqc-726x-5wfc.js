// Source: vm2 test/ghsa/GHSA-fcqc-726x-5wfc/repro.js (fixed after vm2 3.11.2, by 3.12.2; the PoC shape is from vm2's
// lib/setup-sandbox.js comment for it): sandbox Buffer factories returned pool-backed buffers whose
// `.buffer` is Node's shared 64 KiB allocation pool, readable and writable.
// Tried: every Buffer factory and the deprecated forms; a `.buffer` larger than the buffer is flagged,
// and its bytes are scanned for anything that is not the buffer's own.
const out = {};
const forms = {
  fromString: () => Buffer.from('hello'),
  fromArray: () => Buffer.from([1, 2, 3]),
  fromBuffer: () => Buffer.from(Buffer.from('x')),
  concat: () => Buffer.concat([Buffer.from('a'), Buffer.from('b')]),
  callString: () => Buffer('hello'),
  newArray: () => new Buffer([1, 2, 3]),
  allocUnsafe: () => Buffer.allocUnsafe(16),
  copyBytesFrom: () => (typeof Buffer.copyBytesFrom === 'function' ? Buffer.copyBytesFrom(new Uint8Array([1, 2])) : Buffer.alloc(2)),
  base64: () => Buffer.from('aGVsbG8=', 'base64'),
  hex: () => Buffer.from('00ff', 'hex'),
};
for (const [name, make] of Object.entries(forms)) {
  try {
    const b = make();
    const ab = b.buffer;
    out[name] = [b.length, ab.byteLength, b.byteOffset];
    if (ab.byteLength > b.length) __wr.flag(`${name}: .buffer exposes ${ab.byteLength} bytes for ${b.length}`);
  } catch (e) { out[name] = String(e.message).slice(0, 60); }
}
return out;
