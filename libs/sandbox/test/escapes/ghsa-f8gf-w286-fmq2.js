// Source: vm2 test/ghsa/GHSA-f8gf-w286-fmq2 (fixed after vm2 3.11.2, by 3.12.2; the PoC shape is from
// vm2's lib/setup-sandbox.js comment for the advisory): under
// allowAsync:false a thenable passed to resolve scheduled sandbox code after run() returned, outside
// the timeout. This sandbox allows async; what must hold is that code scheduled that way after the
// run has answered cannot do anything, and cannot reach the next run.
// Tried: resolve with thenables whose `then` (getter and method, nested) runs after the scenario
// returns, trying the escapes again and writing globals.
const out = {};
const late = (label) => () => { try { __wr.use(globalThis, label); globalThis.__wrLate = label; Error.prepareStackTrace = () => 'hooked'; } catch (e) {} };
new Promise((resolve) => resolve({ then: (r) => { late('thenable method')(); r(); } }));
new Promise((resolve) => resolve({ get then() { late('thenable getter')(); return (r) => r(); } }));
new Promise((resolve) => resolve({ then(r) { r({ then() { late('nested thenable')(); } }); } }));
Promise.resolve().then(() => new Promise((r) => typeof setTimeout === 'function' ? setTimeout(r, 5) : r())).then(late('after a timer'));
sleep(5).then(late('after sleep'));
out.scheduled = true;
return out;
