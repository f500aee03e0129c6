// Source: vm2 test/vm.js "various attacks #1" (#2-#7), https://github.com/patriksimek/vm2/blob/main/test/vm.js
// (the original passes a host function `boom` that throws; here the host functions of this sandbox
// that throw host errors stand in for it: `new URL('')` and `crypto.createHash('no-such')`).
// Tried: the caught host error's constructor chain; replacing Reflect.construct, Proxy, String and
// Buffer before calling into host code, so that vm2's bridge would use the attacker's versions.
const out = {};
for (const [label, boom] of [['new URL("")', () => new URL('')], ['crypto.createHash("no-such")', () => crypto.createHash('no-such')], ['Buffer.alloc(-1)', () => Buffer.alloc(-1)]]) {
  try {
    boom();
  } catch (e) {
    out[label] = String(e && e.name);
    __wr.use(e, label + ' error');
    try { e.constructor.constructor('return process')(); } catch (err) { out[label] += ' / ' + err.message; }
  }
}
const tries = {
  reflectConstruct: () => { Reflect.construct = () => { throw new Error('Shouldnt be there.'); }; return Buffer.from([0]).length; },
  proxy: () => { global.Proxy = function () { throw new Error('Shouldnt be there.'); }; return typeof Proxy; },
  string: () => { global.String = function () { throw new Error('Shouldnt be there.'); }; return crypto.createHash('sha1').update('a').digest('hex').length; },
  buffer: () => { global.Buffer = function () { throw new Error('Shouldnt be there.'); }; return new TextEncoder().encode('a').length; },
};
for (const [name, run] of Object.entries(tries)) {
  try { out[name] = run(); } catch (e) { out[name] = 'threw ' + e.message; }
}
return out;
