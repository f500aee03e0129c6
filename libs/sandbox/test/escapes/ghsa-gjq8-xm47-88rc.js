// Source: vm2 test/ghsa/GHSA-gjq8-xm47-88rc (fixed after vm2 3.11.2, by 3.12.2; PoC shape from its repro description in
// vm2's lib/bridge.js and GHSA-2v2p-6j97-cjg9's repro.js): a host function returning a rejected host
// promise that the sandbox ignores is an unhandled host rejection, which kills the host process.
// This sandbox's host functions return no promises; the PoC calls every host function it has with
// arguments that make them throw or reject, ignores the results, and the thread must survive.
const out = { calls: 0 };
const hostFns = [crypto.createHash, crypto.createHmac, crypto.timingSafeEqual, crypto.randomUUID, URL, URLSearchParams, TextEncoder, TextDecoder, Buffer.from, Buffer.alloc, Buffer.concat];
const weird = [undefined, null, {}, () => Promise.reject(new Error('x')), { then(r, j) { j(new Error('thenable')); } }, Symbol('s'), -1];
for (const fn of hostFns) {
  for (const arg of weird) {
    out.calls++;
    try { const r = fn(arg, arg); if (r && typeof r.then === 'function') r.then(undefined, undefined); } catch (e) {}
    try { const r = Reflect.construct(fn, [arg]); if (r && typeof r.then === 'function') r.then(undefined, undefined); } catch (e) {}
  }
}
await sleep(20);
out.alive = true;
return out;
