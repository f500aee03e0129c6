// A binary answer: a PNG image built by the scenario, a solid square of the colour asked for, sent as
// image/png bytes ($body is a Buffer). The PNG is written by hand (CRC-32 and Adler-32 below, one stored
// deflate block), since the sandbox has no image or zlib library.
// Try: curl -s 'http://localhost:8080/api/webrequest/images/swatch?color=0a84ff&size=32' -o swatch.png
const color = /^[0-9a-fA-F]{6}$/.test(String(query.color ?? '')) ? String(query.color) : '0a84ff';
const size = Math.min(Math.max(Number.parseInt(String(query.size ?? '16'), 10) || 16, 1), 64);
const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(color.slice(i, i + 2), 16));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const adler32 = (bytes) => {
  let s1 = 1;
  let s2 = 0;
  for (const byte of bytes) {
    s1 = (s1 + byte) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
};
const u32 = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const chunk = (type, data) => {
  const typed = [...Buffer.from(type, 'latin1'), ...data];
  return [...u32(data.length), ...typed, ...u32(crc32(typed))];
};

// Scanlines: filter byte 0 (none), then RGB for each pixel. At most 64 × (1 + 192) bytes: one stored block.
const pixels = [];
for (let y = 0; y < size; y++) {
  pixels.push(0);
  for (let x = 0; x < size; x++) pixels.push(r, g, b);
}
const n = pixels.length;
const zlib = [0x78, 0x01, 0x01, n & 255, (n >>> 8) & 255, ~n & 255, (~n >>> 8) & 255, ...pixels, ...u32(adler32(pixels))];
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
  ...chunk('IHDR', [...u32(size), ...u32(size), 8, 2, 0, 0, 0]),
  ...chunk('IDAT', zlib),
  ...chunk('IEND', []),
]);
return { $headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' }, $body: png };
