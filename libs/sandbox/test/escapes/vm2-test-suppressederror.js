// Source: vm2 test/vm.js "SuppressedError escape via DisposableStack", "... via using declaration",
// "... via AsyncDisposableStack", "... via async rejection path", "... via deeply nested
// DisposableStack" and docs/ATTACKS.md Category 16. Explicit resource management exists from Node 24;
// on older Node the PoC reports the missing primitives.
// Tried: make disposal wrap the host TypeError of a Symbol-named error's stack in a SuppressedError,
// whose .error/.suppressed vm2 did not sanitise; `using` only inside eval, which vm2's ES2022
// transformer cannot see.
const out = { DisposableStack: typeof DisposableStack, AsyncDisposableStack: typeof AsyncDisposableStack, SuppressedError: typeof SuppressedError };
const hostError = () => { const e = Error(); e.name = Symbol(); e.stack; };
const walk = (e, label) => {
  for (let i = 0; e && i < 40; i++) {
    __wr.use(e.error, label + '.error');
    __wr.use(e.suppressed, label + '.suppressed');
    e = e.suppressed;
  }
};
if (typeof DisposableStack === 'function') {
  try {
    const ds = new DisposableStack();
    ds.defer(() => { throw null; });
    ds.defer(hostError);
    ds.dispose();
  } catch (e) { out.dispose = String(e && e.name); walk(e, 'DisposableStack'); }
  try {
    const ds = new DisposableStack();
    for (let i = 0; i < 30; i++) ds.defer(() => { throw null; });
    ds.defer(hostError);
    ds.dispose();
  } catch (e) { walk(e, 'nested DisposableStack'); }
  await (async function () {
    const ds = new DisposableStack();
    ds.defer(() => { throw null; });
    ds.defer(hostError);
    ds.dispose();
  })().catch((err) => walk(err, 'async rejection'));
}
if (typeof AsyncDisposableStack === 'function') {
  try {
    const ds = new AsyncDisposableStack();
    ds.defer(async () => { throw null; });
    ds.defer(async () => hostError());
    await ds.disposeAsync();
  } catch (e) { walk(e, 'AsyncDisposableStack'); }
}
try {
  globalThis.obj = { [Symbol.dispose]() { const e = new Error(); e.name = Symbol(); return e.stack; } };
  eval('{using a = obj; throw null;}');
} catch (e) {
  out.using = e === null ? 'null' : String(e && e.name);
  if (e) walk(e, 'using');
}
return out;
