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
 * - Every object reachable from the global object, and the intrinsics reachable only through syntax or
 *   instances (the async and generator function prototypes, the iterator prototypes, the prototypes of
 *   the helpers' instances), is frozen: its own properties, getters and setters, and its prototype
 *   chain. Host helpers (URL, crypto…) are frozen host-side as well (see host-helpers.ts); vm2's
 *   `Buffer` is a read-only view already and cannot be frozen, so it is only checked.
 * - The global object cannot be made non-extensible (Node's vm contexts refuse `preventExtensions` on
 *   it), so its existing properties are made read-only one by one, and whatever a run adds is deleted
 *   before the next run.
 * - Two accessors keep state no freezing can reach: vm2's `Error.prepareStackTrace` setter and V8's
 *   legacy RegExp statics (`RegExp.$1`, `RegExp.input`…, the last match). Both are reset before a run.
 * - `Math.random` draws from the host's CSPRNG: V8 keeps its generator's state per VM, and a run that
 *   reads a few of its numbers could predict the numbers of the runs after it.
 * - `Atomics.waitAsync` is removed: it is the one built-in left that calls back later (vm2 already
 *   removes FinalizationRegistry), and a callback that fires during another run could see that run's
 *   state. Sleep timers are cleared at the end of their run, so no code of a run runs after it.
 *
 * `hardenRealm()` answers the guard and what could not be hardened (nothing, or the VM must not be used).
 */
const HARDEN_SOURCE = `(() => {
  'use strict';
  const g = globalThis;
  const { freeze, isFrozen, getPrototypeOf } = Object;
  const { apply, ownKeys, getOwnPropertyDescriptor, defineProperty, deleteProperty, setPrototypeOf } = Reflect;
  const exec = RegExp.prototype.exec;
  const EMPTY_MATCH = /(?:)/;
  const resetLastMatch = () => apply(exec, EMPTY_MATCH, ['']);
  const Err = Error;
  const SKIP = new Set(['Buffer']);

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
    add('buffer prototype chain', () => getPrototypeOf(Buffer.prototype));
    return roots;
  }

  function freezeAll(roots, failures) {
    const seen = new WeakSet();
    const queue = [];
    const visit = (value, path) => {
      if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
        if (!seen.has(value)) { seen.add(value); queue.push([value, path]); }
      }
    };
    for (const [path, root] of roots) visit(root, path);
    for (let i = 0; i < queue.length; i++) {
      const [object, path] = queue[i];
      try {
        freeze(object);
        visit(getPrototypeOf(object), path + '.__proto__');
        for (const key of ownKeys(object)) {
          const descriptor = getOwnPropertyDescriptor(object, key);
          if (!descriptor) continue;
          const name = path + '.' + String(key);
          visit(descriptor.value, name);
          visit(descriptor.get, name + '(get)');
          visit(descriptor.set, name + '(set)');
        }
      } catch (e) {
        failures.push(path + ': ' + String(e && e.message));
      }
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
      if (SKIP.has(key)) continue;
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
    const has = Set.prototype.has;
    const globalProto = getPrototypeOf(g);
    const prepareStackTrace = Err.prepareStackTrace;
    const guard = freeze({
      restore() {
        let clean = true;
        const keys = ownKeys(g);
        // The keys hardenRealm saw are non-configurable and stay: any more were added since.
        if (keys.length !== globalKeys.size) {
          for (const key of keys) if (!apply(has, globalKeys, [key]) && !deleteProperty(g, key)) clean = false;
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
