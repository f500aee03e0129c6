// Source: written for webrequests (no public PoC): SPEC §4 "a run cannot outlive itself". Every
// escape above is also tried from code that runs after the scenario has answered — promise jobs,
// sleeps, thenables, async generators — when the host has moved on and the run's console, sleep and
// fetch tokens are dead. The test waits after the run before it checks its canaries and server.
// Tried: schedule the constructor-chain and the Symbol-name escapes to run after
// the return, through each kind of deferred job.
const later = (label) => () => {
  __wr.use(globalThis, label + ': globalThis');
  try { const e = new Error(); e.name = Symbol(); e.stack; } catch (e) { __wr.use(e, label + ': symbol name'); }
  try { console.log('late', label); } catch (e) {}
};
(async () => { for (let i = 0; i < 200; i++) await null; later('promise chain')(); })();
sleep(10).then(later('sleep'));
sleep(50).then(later('longer sleep'));
Promise.resolve({ then(r) { later('thenable')(); r(); } });
(async function* () { await null; later('async generator')(); yield 1; })().next();
return { scheduled: 5 };
