// Source: vm2 test/ghsa/GHSA-489w-w794-jq94/repro.js (fixed after vm2 3.11.2, by 3.12.2): a host Buffer handed to the
// sandbox exposed Node's shared 64 KiB allocation pool through `.buffer` (read and write every other
// pooled host buffer). The host buffers this sandbox hands out are digests, TextEncoder output and
// vm2's own Buffer results.
// Tried: `.buffer`, `.parent`, the raw %TypedArray%.prototype.buffer getter and subarray/slice views of
// each host buffer; a store wider than the buffer itself is flagged.
const out = {};
const sources = {
  digest: () => crypto.createHash('sha256').update('x').digest(),
  hmac: () => crypto.createHmac('sha256', 'key').update('x').digest(),
  encoded: () => new TextEncoder().encode('hello'),
  from: () => Buffer.from('hello'),
  fromArray: () => Buffer.from([1, 2, 3]),
  concat: () => Buffer.concat([Buffer.from('a'), Buffer.from('b')]),
  subarray: () => Buffer.from('abcdefgh').subarray(2, 5),
};
for (const [name, make] of Object.entries(sources)) {
  const res = {};
  try {
    const b = make();
    res.length = b.length;
    for (const prop of ['buffer', 'parent']) {
      try { const ab = b[prop]; if (ab) { res[prop] = ab.byteLength; if (ab.byteLength > b.byteLength) __wr.flag(`${name}.${prop} exposes ${ab.byteLength} bytes for a ${b.byteLength}-byte buffer`); } } catch (e) { res[prop] = 'threw'; }
    }
    try {
      const getter = Buffer.call.call({}.__lookupGetter__, b, 'buffer');
      const ab = getter.call(b);
      res.getter = ab.byteLength;
      if (ab.byteLength > b.byteLength) __wr.flag(`${name} raw buffer getter exposes ${ab.byteLength} bytes`);
    } catch (e) { res.getter = String(e.message).slice(0, 40); }
  } catch (e) { res.error = String(e.message).slice(0, 60); }
  out[name] = res;
}
return out;
