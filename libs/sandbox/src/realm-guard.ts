import { VMScript } from 'vm2';

/** Keeps a VM's shared state as {@link hardenRealm} left it, between the runs that share the VM. */
export interface RealmGuard {
  /**
   * Puts back what a run may have changed in the VM's shared state: deletes the globals it created,
   * restores the global object's prototype, `Error.prepareStackTrace` and the legacy `RegExp.$1…`
   * statics. Answers false when something could not be put back (a non-configurable global), and the
   * VM must not serve another run.
   */
  restore(): boolean;
}

/**
 * Runs once in each VM, after the prelude and the globals are in place and before any scenario: makes
 * everything the runs share immutable, or resettable by {@link RealmGuard.restore}.
 *
 * - Every object reachable from the global object is frozen: its own properties (values, getters and
 *   setters, and what each getter answers), its prototype chain, and so on down the whole graph. So are
 *   the intrinsics reachable only through syntax or instances (the async and generator function
 *   prototypes, the iterator prototypes, the prototypes of the helpers' instances, vm2's `CallSite`
 *   class that stack frames are made of, the stack formatter `Error.prepareStackTrace` answers).
 * - vm2's `Buffer` and `Buffer.prototype` are read-only views of the host's (vm2 refuses every write to
 *   them) and cannot be frozen, but the walk goes through them: what hangs off them is not read-only.
 *   vm2's own functions there (`Buffer.from`, `alloc`, `concat`, `of`, `allocUnsafe*`,
 *   `copyBytesFrom`, `Buffer.prototype.inspect`…) are sandbox functions, frozen here; the host
 *   functions and classes behind the views are frozen host-side (see host-helpers.ts), like the other
 *   host helpers (URL, TextEncoder…), since every VM of the thread shares them.
 * - The global object cannot be made non-extensible (Node's vm contexts refuse `preventExtensions` on
 *   it), so its existing properties are made read-only one by one, and whatever a run adds is deleted
 *   before the next run.
 * - Two accessors keep state no freezing can reach: vm2's `Error.prepareStackTrace` setter and V8's
 *   legacy RegExp statics (`RegExp.$1`, `RegExp.input`…, the last match). Both are reset before a run.
 * - `Math.random` draws from the host's CSPRNG: V8 keeps its generator's state per VM, and a run that
 *   reads a few of its numbers could predict the numbers of the runs after it.
 * - `Atomics.waitAsync` is removed: it is the one built-in left that calls back later (vm2 already
 *   removes FinalizationRegistry), and a callback that fires during another run could see that run's
 *   state. Sleep timers are cleared at the end of their run (see ScenarioVm), so none calls back later;
 *   the promise jobs a run leaves are all done before the thread takes its next run, which starts in a
 *   macrotask of its own (an endless chain of them gets the thread killed instead, host-side), and
 *   whatever they wrote to the global object is deleted by restore() before that run.
 *
 * Writes to frozen objects fail as the language says: silently in sloppy code (a scenario's default),
 * with a TypeError under 'use strict'. `hardenRealm()` answers the guard and what could not be hardened
 * (nothing, or the VM must not be used).
 */
const HARDEN_SOURCE = `(() => {
  'use strict';
  const g = globalThis;
  const { freeze, isFrozen, getPrototypeOf, getOwnPropertyNames, getOwnPropertySymbols } = Object;
  const { apply, ownKeys, getOwnPropertyDescriptor, defineProperty, deleteProperty, setPrototypeOf } = Reflect;
  const exec = RegExp.prototype.exec;
  const EMPTY_MATCH = /(?:)/;
  const resetLastMatch = () => apply(exec, EMPTY_MATCH, ['']);
  const Err = Error;
  const PROBE = Symbol('harden probe');

  // vm2's read-only view of a host object: it refuses to be frozen, but every write to it fails (a new
  // property, even deleting one it does not have, a new prototype), which is all freezing would have
  // given. (Asking whether Buffer.prototype's view is extensible throws inside vm2, so it is not asked.)
  const isReadOnlyView = (object) => {
    try {
      return !defineProperty(object, PROBE, { value: 1, configurable: true }) && !deleteProperty(object, PROBE) && !setPrototypeOf(object, {});
    } catch (e) {
      return false;
    }
  };

  function hiddenIntrinsics(failures) {
    const roots = [];
    const add = (label, make) => {
      try { roots.push([label, make()]); } catch (e) { failures.push(label + ': ' + String(e && e.message)); }
    };
    add('async function', () => getPrototypeOf(async function () {}));
    add('generator function', () => getPrototypeOf(function* () {}));
    add('async generator function', () => getPrototypeOf(async function* () {}));
    add('generator', () => (function* () {})());
    add('async generator', () => (async function* () {})());
    add('array iterator', () => [][Symbol.iterator]());
    add('map iterator', () => new Map()[Symbol.iterator]());
    add('set iterator', () => new Set()[Symbol.iterator]());
    add('string iterator', () => ''[Symbol.iterator]());
    add('regexp string iterator', () => /a/g[Symbol.matchAll](''));
    add('segments', () => new Intl.Segmenter().segment(''));
    add('segment iterator', () => new Intl.Segmenter().segment('')[Symbol.iterator]());
    add('promise', () => Promise.resolve());
    // Iterator helpers (Node 22+): their prototypes are reachable only through instances.
    if (typeof [].values().map === 'function') add('iterator helper', () => [].values().map((x) => x));
    if (typeof Iterator === 'function' && typeof Iterator.from === 'function') add('wrapped iterator', () => Iterator.from({ next: () => ({ done: true }) }));
    add('url', () => new URL('http://localhost/?a=1'));
    add('url search params iterator', () => new URLSearchParams('a=1').entries());
    add('text encoder output', () => new TextEncoder().encode(''));
    add('text decoder', () => new TextDecoder());
    add('host error', () => { try { new URL(''); } catch (e) { return e; } throw new Err('new URL("") did not throw'); });
    add('buffer iterator', () => Buffer.alloc(0).entries());
    // From V8 12.x (Node 24+), an error's stack is an own accessor whose getter and setter are shared by
    // every error of the realm: reachable only through an error, and writable unless frozen here.
    add('error stack accessor', () => {
      const descriptor = getOwnPropertyDescriptor(new Err('stack accessor'), 'stack');
      return descriptor ? [descriptor.get, descriptor.set].filter((f) => typeof f === 'function') : [];
    });
    add('buffer prototype chain', () => getPrototypeOf(Buffer.prototype));
    // vm2 wraps each stack frame a prepareStackTrace hook sees in a sandbox CallSite object: its class is
    // shared by every run, and formats every later stack trace.
    add('call site', () => {
      const format = Err.prepareStackTrace;
      let frames = null;
      Err.prepareStackTrace = (error, callSites) => { frames = callSites; return ''; };
      try { new Err('call site').stack; } finally { Err.prepareStackTrace = format; }
      if (Err.prepareStackTrace !== format) throw new Err('Error.prepareStackTrace could not be put back');
      if (!frames || !frames.length) throw new Err('no stack frame to freeze');
      return frames[0];
    });
    return roots;
  }

  // Collects the graph first, then freezes it: a getter asked with the wrong receiver throws, and with
  // Error.stackTraceLimit at 0 meanwhile those throws cost no stack trace (vm2 formats each one).
  function freezeAll(roots, failures) {
    const seen = new WeakSet();
    // [object, index of the object it was reached from, how]: paths are only spelled out for failures.
    const queue = [];
    const visit = (value, from, how) => {
      if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
        if (!seen.has(value)) { seen.add(value); queue.push([value, from, how]); }
      }
    };
    const pathOf = (i) => {
      let path = '';
      for (let at = i; at >= 0; at = queue[at][1]) path = (queue[at][1] < 0 ? '' : '.') + String(queue[at][2]) + path;
      return path;
    };
    for (const [path, root] of roots) visit(root, -1, path);
    const stackTraceLimit = Err.stackTraceLimit;
    Err.stackTraceLimit = 0;
    try {
      for (let i = 0; i < queue.length; i++) {
        const object = queue[i][0];
        try {
          visit(getPrototypeOf(object), i, '__proto__');
          for (const key of ownKeys(object)) {
            const descriptor = getOwnPropertyDescriptor(object, key);
            if (!descriptor) continue;
            visit(descriptor.value, i, key);
            visit(descriptor.get, i, key);
            visit(descriptor.set, i, key);
            // What a getter answers is reachable too (vm2's current stack formatter, Buffer[Symbol.species]…).
            if (descriptor.get) {
              let value;
              try { value = apply(descriptor.get, object, []); } catch (e) { continue; }
              visit(value, i, key);
            }
          }
        } catch (e) {
          failures.push(pathOf(i) + ': ' + String(e && e.message));
        }
      }
    } finally {
      Err.stackTraceLimit = stackTraceLimit;
    }
    for (let i = 0; i < queue.length; i++) {
      const object = queue[i][0];
      let frozen = true;
      try { freeze(object); } catch (e) { frozen = false; }
      if (!frozen && !isReadOnlyView(object)) failures.push(pathOf(i) + ': could not be frozen');
    }
  }

  // 53 random bits from 8 bytes of the host's CSPRNG, handed over in batches as latin1 strings.
  function secureRandom(randomLatin1) {
    const charCodeAt = String.prototype.charCodeAt;
    let pool = '';
    let at = 0;
    const byte = () => apply(charCodeAt, pool, [at++]);
    const word = () => ((byte() << 24) | (byte() << 16) | (byte() << 8) | byte()) >>> 0;
    return {
      random() {
        if (at + 8 > pool.length) { pool = String(randomLatin1()); at = 0; }
        return ((word() >>> 5) * 67108864 + (word() >>> 6)) / 9007199254740992;
      },
    }.random;
  }

  return function hardenRealm(randomLatin1) {
    const failures = [];
    const random = getOwnPropertyDescriptor(Math, 'random');
    if (!defineProperty(Math, 'random', { ...random, value: secureRandom(randomLatin1) })) failures.push('Math.random');
    deleteProperty(Atomics, 'waitAsync');
    deleteProperty(g, 'FinalizationRegistry');
    const roots = [['globalThis.__proto__', getPrototypeOf(g)]];
    for (const key of ownKeys(g)) {
      const descriptor = getOwnPropertyDescriptor(g, key);
      if (descriptor.value !== g) roots.push([String(key), descriptor.value], [String(key) + '(get)', descriptor.get], [String(key) + '(set)', descriptor.set]);
    }
    freezeAll([...roots, ...hiddenIntrinsics(failures)], failures);
    for (const key of ownKeys(g)) {
      const descriptor = getOwnPropertyDescriptor(g, key);
      const locked = 'value' in descriptor ? { value: descriptor.value, writable: false } : { get: descriptor.get, set: descriptor.set };
      if (!defineProperty(g, key, { ...locked, enumerable: descriptor.enumerable, configurable: false })) failures.push('global ' + String(key));
    }
    // vm2's Buffer is a read-only view: writes to it and its prototype are refused by vm2 itself.
    if (Reflect.set(Buffer, 'poolSize', 1) || Reflect.set(Buffer.prototype, 'probe', 1)) failures.push('Buffer accepts writes');
    if (isFrozen(Object.prototype) !== true) failures.push('Object.prototype');

    const globalKeys = new Set(ownKeys(g));
    // How many keys the global has, counted natively: vm2's ownKeys copies each key into a new array
    // through a defineProperty, which made restore() cost ~70 µs a run on a global of hundreds of keys.
    // Symbols go through vm2's filter here as in ownKeys, so the two counts agree.
    const keyCount = () => getOwnPropertyNames(g).length + getOwnPropertySymbols(g).length;
    const globalKeyCount = keyCount();
    if (globalKeyCount !== globalKeys.size) failures.push('the global key count disagrees with ownKeys');
    const has = Set.prototype.has;
    const globalProto = getPrototypeOf(g);
    const prepareStackTrace = Err.prepareStackTrace;
    const guard = freeze({
      restore() {
        let clean = true;
        // The keys hardenRealm saw are non-configurable and stay: any more were added since.
        if (keyCount() !== globalKeyCount) {
          for (const key of ownKeys(g)) if (!apply(has, globalKeys, [key]) && !deleteProperty(g, key)) clean = false;
        }
        if (getPrototypeOf(g) !== globalProto && !setPrototypeOf(g, globalProto)) clean = false;
        // vm2's setter keeps the function in a closure of its own, out of reach of freezing.
        if (Err.prepareStackTrace !== prepareStackTrace) Err.prepareStackTrace = prepareStackTrace;
        if (Err.prepareStackTrace !== prepareStackTrace) clean = false;
        resetLastMatch();
        return clean;
      },
    });
    return { guard, failures };
  };
})()`;

/**
 * The hardening script, compiled once per thread; running it in a VM answers `hardenRealm(randomLatin1)`,
 * `randomLatin1` answering a string of cryptographically random bytes (latin1, a multiple of 8 long).
 */
export const hardenScript = new VMScript(HARDEN_SOURCE, 'harden.js').compile();

/** What {@link hardenScript} answers. */
export type HardenRealm = (randomLatin1: () => string) => HardenResult;

/** What `hardenRealm()` answers. */
export interface HardenResult {
  guard: RealmGuard;
  failures: string[];
}
