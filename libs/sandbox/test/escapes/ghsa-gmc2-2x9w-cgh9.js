// Source: vm2 test/ghsa/GHSA-gmc2-2x9w-cgh9 (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's lib/setup-sandbox.js
// comment for it): bufferAllocLimit was checked by Buffer.alloc and friends only, not by Buffer.concat
// (total length) nor Buffer.from(arrayLike) (length), so one call allocated past the cap.
// Tried: Buffer.concat with a huge totalLength, Buffer.from with a huge array-like, copyBytesFrom,
// Buffer.prototype.repeat-like growth through fill; each must fail cleanly.
const out = {};
const huge = 1024 * 1024 * 1024;
const forms = {
  concatTotalLength: () => Buffer.concat([Buffer.from('a')], huge).length,
  fromArrayLike: () => Buffer.from({ length: huge }).length,
  fromArrayLikeString: () => Buffer.from({ length: String(huge) }).length,
  copyBytesFrom: () => (typeof Buffer.copyBytesFrom === 'function' ? Buffer.copyBytesFrom(new Uint8Array(8), 0, huge).length : 'absent'),
  constructorWalk: () => new (Buffer.from('x').constructor)(huge).length,
};
for (const [name, run] of Object.entries(forms)) {
  try { out[name] = run(); } catch (e) { out[name] = String(e.message).slice(0, 80); }
}
return out;
