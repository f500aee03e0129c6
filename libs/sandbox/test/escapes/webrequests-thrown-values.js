// Source: written for webrequests (no public PoC): CVE-2023-30547 / CVE-2023-32314-style hostile
// values, thrown out of the scenario instead of caught inside it. The host side (describeThrown in
// libs/sandbox/src/describe-thrown.ts) reads `name` and `message` of what a scenario throws.
// Tried: throw a Proxy whose traps hand out functions, an object whose name/message getters and
// toString run on the host's read, a host error, a Symbol and a function; the run must end with a
// plain scenario_failed message and nothing else.
const hostile = {
  get name() { __wr.use(this, 'name getter this'); return { toString: () => 'HostileError' }; },
  get message() { __wr.use(this, 'message getter this'); (function stack() { new Error().stack; stack(); })(); return 'unreachable'; },
  toString() { __wr.use(this, 'toString this'); return 'hostile'; },
};
let proxy = hostile;
try {
  proxy = new Proxy(hostile, {
  get(t, k, receiver) { __wr.use(receiver, 'proxy get receiver ' + String(k)); return Reflect.get(t, k); },
  getPrototypeOf() { throw (x) => __wr.use(x, 'thrown by getPrototypeOf'); },
  has(t, k) { __wr.use(t, 'has target'); return k in t; },
  });
} catch (e) {}
// A rejected promise left behind reaches the thread's unhandledRejection handler too.
Promise.reject(proxy);
throw proxy;
