// Source: vm2 docs/ATTACKS.md Attack Category 5 "Function Caller/Callee Access"
// (https://github.com/patriksimek/vm2/blob/main/docs/ATTACKS.md).
// Tried: from a sandbox function the host calls back (URLSearchParams.forEach, a getter read by
// crypto, a toString read by the console), read `arguments.callee.caller`, `fn.caller` and
// `fn.arguments` to reach the calling host/bridge function.
const out = {};
function sloppy() {
  try { __wr.use(arguments.callee.caller, 'arguments.callee.caller'); } catch (e) { out.callee = String(e.message); }
  try { __wr.use(sloppy.caller, 'sloppy.caller'); } catch (e) { out.caller = String(e.message); }
  try { __wr.use(sloppy.arguments, 'sloppy.arguments'); } catch (e) { out.arguments = String(e.message); }
  return 'sha1';
}
try { new URLSearchParams('a=1').forEach(sloppy); } catch (e) { out.forEach = String(e.message); }
try { crypto.createHash({ toString: sloppy }); } catch (e) { out.hash = String(e.message); }
try { console.log({ toString: sloppy }, String({ toString: sloppy })); } catch (e) {}
try { new URL({ toString() { sloppy(); return 'http://a.test/'; } }); } catch (e) { out.url = String(e.message); }
return out;
