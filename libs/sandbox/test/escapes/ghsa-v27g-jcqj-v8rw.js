// Source: vm2 test/ghsa/GHSA-v27g-jcqj-v8rw/repro.js (fixed in vm2 3.11.0): CallSite getters exposed
// host file names, lines and function names through Error.prepareStackTrace (information
// disclosure). The PoC returns what it read; the test fails if a host path is in it.
// Tried: every CallSite getter, on stacks that cross host code (a host callback, a host throw).
const out = { frames: [] };
Error.prepareStackTrace = function (e, sst) {
  return sst.map((s) => {
    const frame = {};
    for (const getter of ['getFileName', 'getLineNumber', 'getColumnNumber', 'getFunctionName', 'getMethodName', 'getTypeName', 'getEvalOrigin', 'getScriptNameOrSourceURL', 'toString']) {
      try { frame[getter] = String(s[getter]()); } catch (x) { frame[getter] = 'threw'; }
    }
    try { __wr.use(s.getThis(), 'getThis'); __wr.use(s.getFunction(), 'getFunction'); } catch (x) {}
    return frame;
  });
};
try { out.frames.push(new Error().stack); } catch (e) {}
try { new URLSearchParams('a=1').forEach(() => { out.frames.push(new Error().stack); }); } catch (e) {}
try { eval('out.frames.push(new Error().stack)'); } catch (e) {}
try { new URL(''); } catch (e) { out.hostErrorStack = String(e.stack); }
Error.prepareStackTrace = undefined;
return out;
