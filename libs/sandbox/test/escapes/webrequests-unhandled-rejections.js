// Source: written for webrequests (no public PoC): GHSA-hw58-p9xv-2mjh / GHSA-2v2p-6j97-cjg9 shapes
// against this sandbox's own handler: the sandbox thread listens for `unhandledRejection`
// (libs/sandbox/src/sandbox-thread.ts) and logs the reason, which comes from the scenario.
// Tried: leave rejections whose reasons are Proxies, getter-laden objects, host errors, functions,
// Symbols and huge strings unhandled, so the host handler (or Node's default one) touches them.
let hostile = { get constructor() { __wr.use(this, 'reason constructor getter'); return undefined; }, get name() { throw (x) => __wr.use(x, 'reason name getter'); } };
try {
  hostile = new Proxy({}, {
    get(t, k, r) { __wr.use(r, 'unhandled reason get ' + String(k)); return undefined; },
    getPrototypeOf() { throw (x) => __wr.use(x, 'reason getPrototypeOf'); },
  });
} catch (e) {}
let hostError;
try { new URL(''); } catch (e) { hostError = e; }
const reasons = [hostile, { get stack() { __wr.use(this, 'reason stack getter'); return ''; }, toString() { __wr.use(this, 'reason toString'); return 'x'; } }, hostError, crypto.createHash, Symbol('reason'), 'x'.repeat(100000), null, undefined];
for (const reason of reasons) {
  Promise.reject(reason);
  (async () => { throw reason; })();
  new Promise((resolve, reject) => reject(reason));
}
await sleep(20);
return { left: reasons.length * 3 };
