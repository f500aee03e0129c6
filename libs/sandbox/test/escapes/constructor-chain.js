// Source: vm2 docs/ATTACKS.md, Attack Category 1 "Constructor Chain Traversal" (canonical examples),
// and test/vm.js "various attacks #1" #1 and "various attacks #2" #7/#8
// (https://github.com/patriksimek/vm2/blob/main/test/vm.js).
// Tried: climb `this.constructor.constructor`, `global.__proto__.constructor.constructor` and a caught
// error's `constructor.constructor` to the host `Function`, then `Function("return process")()`.
__wr.use(this.constructor.constructor, 'this.constructor.constructor');
__wr.use(globalThis.constructor.constructor('return this')(), 'Function("return this")()');
__wr.use(globalThis.__proto__.constructor.constructor('return this')().constructor.constructor, 'global.__proto__ chain');
try {
  undefinedFunction();
} catch (e) {
  __wr.use(e, 'caught ReferenceError');
}
return { sameFunction: this.constructor.constructor('return Function')() === Function };
