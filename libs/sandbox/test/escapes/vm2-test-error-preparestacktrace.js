// Source: vm2 test/vm.js "Error.prepareStackTrace attack" (all three forms) and "missing sandbox
// defenses (issue #562)": prepareStackTrace = undefined must not fall back to the host formatter.
// https://github.com/patriksimek/vm2/blob/main/test/vm.js, https://github.com/patriksimek/vm2/issues/562
// Tried: collect CallSites and their getThis()/getFunction(); replace the global Error with an object
// carrying prepareStackTrace; set prepareStackTrace to undefined and force the host formatter with a
// Symbol-named error, hoping for a host TypeError.
const out = {};
try {
  Error.prepareStackTrace = (e, sst) => sst;
  const sst = new Error().stack;
  Error.prepareStackTrace = undefined;
  out.protoIsArray = Object.getPrototypeOf(sst) === Array.prototype;
  for (const cs of sst) { __wr.use(cs.getThis(), 'getThis'); __wr.use(cs.getFunction(), 'getFunction'); }
} catch (e) { out.first = String(e.message); }
try {
  const OldError = Error;
  global.Error = { prepareStackTrace: (_, c) => c.map((c) => c.getThis()).find((a) => a && a.process) };
  const { stack } = new OldError();
  global.Error = OldError;
  __wr.use(stack && stack.process, 'stack.process');
} catch (e) { out.second = String(e.message); }
try {
  Error.prepareStackTrace = undefined;
  const e = new Error();
  e.name = Symbol();
  const s = e.stack;
  out.symbolStack = typeof s;
} catch (ex) {
  out.symbolStack = 'threw ' + String(ex && ex.message);
  __wr.use(ex, 'error thrown by the formatter');
}
return out;
