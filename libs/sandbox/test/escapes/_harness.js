// Not a PoC: the payload every PoC in this folder shares. escape-attacks.test.ts puts this file in
// front of each PoC and runs the two as one scenario, the PoC inside an async arrow of its own:
//
//   <this file>
//   const __value = await (async () => { <PoC> })();
//   return __wr.finish(__value);
//
// A PoC hands whatever its escape produced (an error it caught, a function, an object a host callback
// gave it) to `__wr.use(candidate, label)`. `use` tries every way the public PoCs turn such a value
// into the host `process` (the value itself, calling it as a Function constructor, its
// `.constructor`, its `.constructor.constructor`), and with a `process` in hand it does what an
// attacker would: reads the environment, writes `query.canaryFile` with `fs`, runs
// `touch query.canaryTouch` with `child_process` and opens a TCP connection to `query.port`.
// The test then checks that none of that happened. `__wr.useRequire(fn, label)` does the same for a
// value that might be a `require`, and `__wr.eachRequire(out, chain)` tries every route to one.
//
// `__wr.flag(what)` records a breach that needs no `process` (a host prototype changed, host memory
// read); the test fails on any. A PoC whose header says `@refused-at-compile-ok` may end with the
// sandbox's syntax check or vm2's transformer refusing it; for any other PoC a SyntaxError means the
// adaptation is broken, and the test says so.
//
// The sandbox has no `Proxy` (vm2 removes it on Node >= 10): a PoC built on one records that and
// goes on with what it can still try.
//
// The harness captures the few built-ins it uses before the PoC runs (the sandbox freezes them
// anyway), so a PoC that patches prototypes cannot make the payload fail silently.
const __wr = (() => {
  'use strict';
  const stringify = JSON.stringify;
  const toStr = String;
  const canaryFile = toStr(query.canaryFile);
  const canaryTouch = toStr(query.canaryTouch);
  const port = Number(query.port);
  const envName = toStr(query.envName);
  const report = { tried: 0, reached: [], notes: [] };
  const note = (text) => {
    if (report.notes.length < 30) report.notes[report.notes.length] = toStr(text).slice(0, 300);
  };
  const describe = (error) => {
    try {
      return error && typeof error === 'object' ? toStr(error.name) + ': ' + toStr(error.message) : toStr(error);
    } catch (e) {
      return 'an undescribable value';
    }
  };
  const isProcess = (value) => {
    try {
      return value !== null && typeof value === 'object' && typeof value.pid === 'number' && typeof value.versions === 'object' && value.versions !== null && typeof value.versions.node === 'string';
    } catch (e) {
      return false;
    }
  };
  const reached = (what) => {
    report.reached[report.reached.length] = what;
  };

  function attack(load, how) {
    try {
      const fs = load('fs');
      fs.writeFileSync(canaryFile, 'escaped via ' + how);
      reached('fs via ' + how);
      try {
        report.environ = toStr(fs.readFileSync('/proc/self/environ', 'latin1'));
      } catch (e) {
        note('environ: ' + describe(e));
      }
    } catch (e) {
      note('fs via ' + how + ': ' + describe(e));
    }
    try {
      load('child_process').execSync('touch ' + stringify(canaryTouch));
      reached('child_process via ' + how);
    } catch (e) {
      note('child_process via ' + how + ': ' + describe(e));
    }
    try {
      const socket = load('net').connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      reached('net via ' + how);
    } catch (e) {
      note('net via ' + how + ': ' + describe(e));
    }
  }

  function withProcess(proc, how) {
    reached('process via ' + how);
    try {
      report.hostNode = toStr(proc.versions.node);
      report.pid = proc.pid;
    } catch (e) {}
    try {
      report.env = stringify(proc.env);
      report.envCanary = toStr(proc.env[envName]);
    } catch (e) {
      note('env via ' + how + ': ' + describe(e));
    }
    let load = null;
    try {
      if (typeof proc.getBuiltinModule === 'function') load = (name) => proc.getBuiltinModule(name);
    } catch (e) {}
    try {
      if (load === null && proc.mainModule && typeof proc.mainModule.require === 'function') load = (name) => proc.mainModule.require(name);
    } catch (e) {}
    try {
      if (load === null && typeof proc.binding === 'function') note('process.binding is reachable via ' + how);
    } catch (e) {}
    if (load === null) {
      note('a process without a module loader via ' + how);
      return;
    }
    attack(load, how);
  }

  const BODIES = ['return process', 'return globalThis.process', 'return (function () { return this })().process'];

  function asFunctionConstructor(F, how) {
    for (let i = 0; i < BODIES.length; i++) {
      try {
        const made = F(BODIES[i]);
        if (typeof made !== 'function') continue;
        const proc = made();
        if (isProcess(proc)) {
          withProcess(proc, how);
          return true;
        }
      } catch (e) {}
    }
    return false;
  }

  // Trying a candidate calls it, and a PoC's own function may call `use` again from inside (a
  // `caller` that is the PoC's callback): such nested tries are skipped, or they would recurse.
  let busy = false;

  /** Tries to turn `candidate` into the host `process`, and attacks with it. Answers whether it did. */
  function use(candidate, label) {
    report.tried++;
    const how = toStr(label === undefined ? 'a candidate' : label);
    if (busy) {
      report.nested = (report.nested || 0) + 1;
      return false;
    }
    busy = true;
    try {
      if (isProcess(candidate)) {
        withProcess(candidate, how);
        return true;
      }
      if (typeof candidate === 'function' && asFunctionConstructor(candidate, how + ' called as Function')) return true;
      if (candidate !== null && (typeof candidate === 'object' || typeof candidate === 'function')) {
        let c;
        try {
          c = candidate.constructor;
        } catch (e) {}
        if (typeof c === 'function') {
          if (asFunctionConstructor(c, how + '.constructor')) return true;
          let cc;
          try {
            cc = c.constructor;
          } catch (e) {}
          if (typeof cc === 'function' && asFunctionConstructor(cc, how + '.constructor.constructor')) return true;
        }
      }
    } catch (e) {
      note(how + ': ' + describe(e));
    } finally {
      busy = false;
    }
    return false;
  }

  /** Treats `candidate` as a possible `require` and attacks with it. */
  function useRequire(candidate, label) {
    report.tried++;
    const how = toStr(label === undefined ? 'a require candidate' : label);
    if (typeof candidate !== 'function' || busy) return false;
    try {
      const fs = candidate('fs');
      if (fs && typeof fs.writeFileSync === 'function') {
        reached('require via ' + how);
        attack((name) => candidate(name), how);
        return true;
      }
    } catch (e) {
      note(how + ': ' + describe(e));
    }
    return use(candidate, how);
  }

  /**
   * For the advisories that need NodeVM's `require`: tries every way the public PoCs reach one (a
   * scenario has none), records in `out` what each gave, attacks with any function it found, then
   * runs `chain(req, label)`, the advisory's own steps, with it (awaited: some chains await).
   */
  async function eachRequire(out, chain) {
    const routes = [
      ['require', () => require],
      ['moduleRequire', () => module.require],
      ['mainModuleRequire', () => process.mainModule.require],
      ['getBuiltinModule', () => process.getBuiltinModule],
      ['globalRequire', () => globalThis.require],
      ['functionRequire', () => Function('return require')()],
    ];
    for (const [label, get] of routes) {
      let req;
      try {
        req = get();
      } catch (e) {
        out[label] = toStr(e.message).slice(0, 60);
        continue;
      }
      out[label] = typeof req;
      if (typeof req !== 'function') continue;
      useRequire(req, label);
      await chain(req, label);
    }
  }

  /** Records something that must not happen even without a `process` (a host prototype changed, host memory read). */
  function flag(what) {
    reached('flag: ' + toStr(what));
  }

  /** The scenario's output: what the harness saw and what the PoC answered, as JSON-safe text. */
  function finish(value) {
    use(value, 'the value the PoC answered');
    let result;
    try {
      result = stringify(value);
    } catch (e) {
      result = 'unserialisable: ' + describe(e);
    }
    if (typeof result === 'string' && result.length > 2000) result = result.slice(0, 2000) + '…';
    return { report, result: result === undefined ? null : result };
  }

  // Every PoC first checks the obvious: nothing of Node's is in scope.
  report.globals = { process: typeof process, require: typeof require, module: typeof module, globalProcess: typeof globalThis.process };
  use(globalThis, 'globalThis');
  try {
    use(this, 'this');
  } catch (e) {}

  return { use, useRequire, eachRequire, flag, finish, note, report };
})();
