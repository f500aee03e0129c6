import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SandboxOutcome, ScenarioVariables } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
import { request, variables } from './scenario-request';

/**
 * SPEC §4, "Runs cannot see each other": a VM reused across runs is allowed only if nothing one run
 * writes reaches a later run. The proof here is a walk over every object a scenario can reach from its
 * globals (own properties of every kind, prototypes, getters and the values they answer, the run's own
 * console, sleep and fetch, and the intrinsics only instances lead to), run three times on one thread:
 * once to take a snapshot, once writing a marker everywhere it can (new properties, overwritten values,
 * setters, new prototypes, own `bind`/`call`/`apply` on functions, deletions), and once more to compare
 * with the snapshot. Any difference is something the attacking run left for the next caller.
 */
const MARK = 'rw_marker_5f3a';

/**
 * The walk, as scenario source (the body of the scenario's function): `walk("walk")` answers one line
 * per object reached, `walk("attack")` also writes to each one and answers what landed. It captures
 * everything it uses before it writes, so a write that lands cannot derail it. No backticks or
 * template substitutions in here: this is a template literal of the test.
 */
const GRAPH_WALK = String.raw`
const MARK = '__MARK__';
const { ownKeys, getOwnPropertyDescriptor, defineProperty, setPrototypeOf, getPrototypeOf, apply, deleteProperty, isExtensible } = Reflect;
const hasOwn = Object.prototype.hasOwnProperty;
const own = (o, k) => apply(hasOwn, o, [k]);
const valueOf = (o, k) => { const d = getOwnPropertyDescriptor(o, k); return d === undefined ? undefined : d.value; };
const push = Array.prototype.push;
const add = (list, v) => { apply(push, list, [v]); };
const join = Array.prototype.join;
const slice = String.prototype.slice;
const StringOf = String;
const MapOf = Map;
const mapGet = Map.prototype.get, mapSet = Map.prototype.set, mapHas = Map.prototype.has;
const isObj = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
const markerObject = { [MARK]: MARK };
const markerFunction = { [MARK]() { return MARK; } }[MARK];
const LIMIT = 50000;
const BACKTICK = StringOf.fromCharCode(96);

function roots() {
  const list = [['globalThis', globalThis]];
  const tryAdd = (label, make) => { try { add(list, [label, make()]); } catch (e) { add(list, [label + '(threw)', e]); } };
  add(list, ['console(run)', console]);
  add(list, ['sleep(run)', sleep]);
  add(list, ['fetch(run)', typeof fetch === 'function' ? fetch : undefined]);
  add(list, ['variables', { event, script, user, url, method, headers, cookies, query, body, files, rawBody }]);
  tryAdd('function', () => function () {});
  tryAdd('async function', () => async function () {});
  tryAdd('generator function', () => function* () {});
  tryAdd('async generator function', () => async function* () {});
  tryAdd('generator', () => (function* () {})());
  tryAdd('async generator', () => (async function* () {})());
  tryAdd('arrow', () => () => 1);
  tryAdd('class', () => class {});
  tryAdd('bound', () => (function () {}).bind(null));
  tryAdd('arguments', () => (function () { return arguments; })(1));
  tryAdd('array iterator', () => [][Symbol.iterator]());
  tryAdd('map iterator', () => new Map([[1, 1]]).entries());
  tryAdd('set iterator', () => new Set([1]).values());
  tryAdd('string iterator', () => 'ab'[Symbol.iterator]());
  tryAdd('regexp string iterator', () => /a/g[Symbol.matchAll]('a'));
  tryAdd('regexp', () => /a/g);
  tryAdd('segments', () => new Intl.Segmenter().segment('a b'));
  tryAdd('segment iterator', () => new Intl.Segmenter().segment('a b')[Symbol.iterator]());
  tryAdd('intl formats', () => [new Intl.DateTimeFormat(), new Intl.NumberFormat(), new Intl.Collator(), new Intl.PluralRules(), new Intl.RelativeTimeFormat(), new Intl.ListFormat(), new Intl.DisplayNames(['en'], { type: 'region' }), new Intl.Locale('en')]);
  tryAdd('promise', () => Promise.resolve(1));
  tryAdd('async result', () => (async () => 1)());
  tryAdd('sleep promise', () => sleep(0));
  tryAdd('iterator helper', () => [].values().map((x) => x));
  tryAdd('wrapped iterator', () => Iterator.from({ next: () => ({ done: true }) }));
  tryAdd('typed arrays', () => [new Uint8Array(2), new Float64Array(1), new BigInt64Array(1), new DataView(new ArrayBuffer(2)), new SharedArrayBuffer(2), new ArrayBuffer(2)]);
  tryAdd('collections', () => [new Map(), new Set(), new WeakMap(), new WeakSet()]);
  tryAdd('weak ref', () => new WeakRef({}));
  tryAdd('date', () => new Date(0));
  tryAdd('errors', () => [new Error('e'), new TypeError('t'), new AggregateError([], 'a')]);
  tryAdd('proxy', () => new Proxy({}, {}));
  tryAdd('json error', () => { try { JSON.parse('{'); } catch (e) { return e; } });
  tryAdd('stack frames', () => {
    const before = Error.prepareStackTrace;
    let frames;
    Error.prepareStackTrace = (e, f) => { frames = f; return 'x'; };
    try { new Error('f').stack; } finally { Error.prepareStackTrace = before; }
    return frames;
  });
  tryAdd('template', () => (0, eval)('((s) => s)' + BACKTICK + 'a' + BACKTICK));
  tryAdd('url', () => new URL('http://localhost/a?b=1#c'));
  tryAdd('url search params', () => new URL('http://localhost/a?b=1').searchParams);
  tryAdd('url search params iterators', () => { const p = new URLSearchParams('a=1'); return [p.entries(), p.keys(), p.values(), p[Symbol.iterator]()]; });
  tryAdd('url error', () => { try { new URL(''); } catch (e) { return e; } });
  tryAdd('text encoder', () => new TextEncoder());
  tryAdd('text encoder output', () => new TextEncoder().encode('a'));
  tryAdd('text decoder', () => new TextDecoder());
  tryAdd('text decoder error', () => { try { new TextDecoder('nope'); } catch (e) { return e; } });
  tryAdd('buffer', () => Buffer.from('ab'));
  tryAdd('buffer alloc', () => Buffer.alloc(2));
  tryAdd('buffer concat', () => Buffer.concat([Buffer.from('a')]));
  tryAdd('buffer iterators', () => { const b = Buffer.from('ab'); return [b.entries(), b.keys(), b.values(), b[Symbol.iterator]()]; });
  tryAdd('buffer slice', () => Buffer.from('ab').subarray(1));
  tryAdd('buffer array buffer', () => Buffer.from('ab').buffer);
  tryAdd('buffer json', () => Buffer.from('ab').toJSON());
  tryAdd('buffer error', () => { try { Buffer.alloc(-1); } catch (e) { return e; } });
  tryAdd('hash', () => crypto.createHash('sha256'));
  tryAdd('hmac', () => crypto.createHmac('sha256', 'k'));
  tryAdd('digest', () => crypto.createHash('sha256').update('a').digest());
  tryAdd('crypto error', () => { try { crypto.createHash('nope'); } catch (e) { return e; } });
  tryAdd('timing error', () => { try { crypto.timingSafeEqual('a', 'bb'); } catch (e) { return e; } });
  tryAdd('fetch promise', () => { if (typeof fetch !== 'function') return undefined; const p = fetch('http://fetch-refused.invalid/'); p.catch(() => {}); return p; });
  if (typeof EXTRA_ROOTS !== 'undefined') for (const root of EXTRA_ROOTS) add(list, root);
  return list;
}

const describe = (value, pathOf) => {
  if (isObj(value)) { const p = pathOf(value); return p === undefined ? '@new' : '@' + p; }
  if (typeof value === 'symbol') return 'symbol:' + StringOf(value);
  if (typeof value === 'bigint') return 'bigint:' + StringOf(value);
  if (typeof value === 'string' && value.length > 300) return 'string:' + apply(slice, value, [0, 300]) + '…';
  return typeof value + ':' + StringOf(value);
};

function walk(mode) {
  const paths = new MapOf();
  const queue = [];
  const lines = [];
  const landed = [];
  let attempts = 0;
  const pathOf = (v) => apply(mapGet, paths, [v]);
  const visit = (value, path) => {
    if (!isObj(value) || apply(mapHas, paths, [value])) return;
    if (queue.length >= LIMIT) throw new Error('more than ' + LIMIT + ' objects reachable');
    apply(mapSet, paths, [value, path]);
    add(queue, value);
  };
  const rootList = roots();
  // The global object's graph first, so that every object reachable from the globals is named by a
  // path from globalThis; then the run's own objects and the instances (whatever they add is theirs).
  const phases = [[rootList[0]], rootList.slice(1)];
  let i = 0;
  for (const phase of phases) {
    for (const [label, root] of phase) visit(root, label);
    if (phase !== phases[0]) instanceGetters(phase);
    for (; i < queue.length; i++) step(queue[i]);
  }
  return { objects: queue.length, attempts, lines, landed };

  // Getters on an instance's prototype chain answer only for the instance: ask them with it.
  function instanceGetters(list) {
    for (const [label, root] of list) {
      if (!isObj(root)) continue;
      let proto = root;
      for (let depth = 0; depth < 8; depth++) {
        try { proto = getPrototypeOf(proto); } catch (e) { break; }
        if (!isObj(proto)) break;
        let keys;
        try { keys = ownKeys(proto); } catch (e) { break; }
        for (const key of keys) {
          let d;
          try { d = getOwnPropertyDescriptor(proto, key); } catch (e) { continue; }
          if (d && d.get && key !== '__proto__') { try { visit(apply(d.get, root, []), label + '.' + StringOf(key) + '(got)'); } catch (e) { /* brand check */ } }
        }
      }
    }
  }

  function attempt(what, path, write) {
    attempts++;
    let ok = false;
    try { ok = write() === true; } catch (e) { ok = false; }
    if (ok) add(landed, path + ' ' + what);
  }

  function step(object) {
    const path = pathOf(object);
    let proto;
    try { proto = getPrototypeOf(object); } catch (e) { proto = 'threw'; }
    visit(proto, path + '.__proto__');
    let keys;
    try { keys = ownKeys(object); } catch (e) { keys = []; }
    const parts = [];
    for (const key of keys) {
      let d;
      try { d = getOwnPropertyDescriptor(object, key); } catch (e) { add(parts, StringOf(key) + '=threw'); continue; }
      if (!d) continue;
      const name = path + '.' + StringOf(key);
      const flags = (d.enumerable ? 'e' : '') + (d.configurable ? 'c' : '') + ('value' in d ? (d.writable ? 'w' : '') : '');
      if ('value' in d) {
        visit(d.value, name);
        add(parts, StringOf(key) + '[' + flags + ']=' + describe(d.value, pathOf));
      } else {
        visit(d.get, name + '(get)');
        visit(d.set, name + '(set)');
        let gotText = 'none';
        if (d.get) {
          try { const got = apply(d.get, object, []); visit(got, name + '(got)'); gotText = describe(got, pathOf); } catch (e) { gotText = 'threw'; }
        }
        add(parts, StringOf(key) + '[' + flags + ']=get:' + describe(d.get, pathOf) + ',set:' + describe(d.set, pathOf) + ',got:' + gotText);
      }
    }
    let extensible;
    try { extensible = isExtensible(object); } catch (e) { extensible = 'threw'; }
    add(lines, path + ' proto=' + describe(proto, pathOf) + ' ext=' + extensible + ' {' + apply(join, parts, [' ']) + '}');

    if (mode !== 'attack') return;
    attempt('define ' + MARK, path, () => defineProperty(object, MARK, { value: MARK, writable: true, enumerable: true, configurable: true }));
    attempt('assign ' + MARK, path, () => { object[MARK + '_set'] = MARK; return valueOf(object, MARK + '_set') === MARK; });
    attempt('define symbol', path, () => defineProperty(object, Symbol.for(MARK), { value: MARK, configurable: true }));
    for (const key of keys) {
      let d;
      try { d = getOwnPropertyDescriptor(object, key); } catch (e) { continue; }
      if (!d) continue;
      if ('value' in d && d.writable) {
        attempt('overwrite ' + StringOf(key), path, () => { object[key] = MARK; const now = getOwnPropertyDescriptor(object, key); return now !== undefined && now.value === MARK; });
        attempt('redefine ' + StringOf(key), path, () => defineProperty(object, key, { value: markerObject }) && valueOf(object, key) === markerObject);
      } else if ('value' in d && d.configurable) {
        attempt('redefine ' + StringOf(key), path, () => defineProperty(object, key, { value: markerObject, writable: true }) && valueOf(object, key) === markerObject);
      } else if (d.set) {
        attempt('set ' + StringOf(key), path, () => { object[key] = markerObject; return true; });
      }
    }
    if (typeof object === 'function') {
      for (const key of ['bind', 'call', 'apply', 'toString', Symbol.hasInstance]) {
        attempt('own ' + StringOf(key), path, () => defineProperty(object, key, { value: markerFunction, writable: true, configurable: true }));
        attempt('assign own ' + StringOf(key), path, () => { object[key] = markerFunction; return valueOf(object, key) === markerFunction; });
      }
    }
    attempt('setPrototypeOf', path, () => setPrototypeOf(object, markerObject) && getPrototypeOf(object) === markerObject);
    attempt('__proto__', path, () => { object.__proto__ = markerObject; return getPrototypeOf(object) === markerObject; });
    for (const key of keys) {
      attempt('delete ' + StringOf(key), path, () => { const d = getOwnPropertyDescriptor(object, key); return d !== undefined && d.configurable === true && deleteProperty(object, key) && !own(object, key); });
    }
  }
}
`.replace('__MARK__', MARK);

const WALK = `${GRAPH_WALK}\nreturn walk('walk');`;
const ATTACK = `${GRAPH_WALK}\nconst result = walk('attack');\nreturn { objects: result.objects, attempts: result.attempts, landed: result.landed };`;

interface Walk {
  objects: number;
  lines: string[];
}

/** The objects whose line differs between two walks (the path each was first reached by), and the lines. */
function changes(before: Walk, after: Walk): { changed: string[]; lines: string[] } {
  const had = new Set(before.lines);
  const has = new Set(after.lines);
  const differing = [...after.lines.filter((line) => !had.has(line)), ...before.lines.filter((line) => !has.has(line))];
  return { changed: [...new Set(differing.map((line) => line.slice(0, line.indexOf(' proto='))))], lines: differing };
}

async function output(on: ThreadSandbox, source: string, overrides: Parameters<typeof request>[1] = {}): Promise<Record<string, unknown>> {
  const outcome: SandboxOutcome = await on.run(request(source, { timeoutMs: 20_000, ...overrides }));
  if (outcome.kind !== 'output') throw new Error(`expected an output, got ${JSON.stringify(outcome.error)}`);
  return outcome.output;
}

/** A caller's variables with its own session cookie. */
function caller(session: string): ScenarioVariables {
  return { ...variables, cookies: { session } };
}

/** Snapshot, attack, walk again, on `on`; answers the attack's report and what changed. */
async function attackBetweenWalks(on: ThreadSandbox, extraRoots = ''): Promise<{ before: Walk; landed: string[]; after: Walk }> {
  const before = (await output(on, `${extraRoots}\n${WALK}`)) as unknown as Walk;
  const attack = (await output(on, `${extraRoots}\n${ATTACK}`)) as unknown as { objects: number; attempts: number; landed: string[] };
  const after = (await output(on, `${extraRoots}\n${WALK}`)) as unknown as Walk;
  expect(before.objects).toBeGreaterThan(1000);
  expect(attack.objects).toBeGreaterThan(1000);
  expect(after.objects).toBeGreaterThan(1000);
  return { before, landed: attack.landed, after };
}

/**
 * The writes an attack may land on objects reachable from the globals: on the global object itself
 * (Node's contexts cannot make it non-extensible), through V8's legacy RegExp setters and through vm2's
 * `Error.prepareStackTrace` setter. restore() undoes all three before the next run; anything else that
 * lands is a leak, even if the next walk happens not to see it.
 */
const RESET_BY_RESTORE = [
  new RegExp(`^globalThis (define|assign) ${MARK}$`),
  /^globalThis (define symbol|setPrototypeOf|__proto__)$/,
  /^globalThis\.RegExp set (input|\$_|lastMatch|\$&|lastParen|\$\+|leftContext|\$`|rightContext|\$'|\$[1-9])$/,
  /^globalThis\.Error set prepareStackTrace$/,
];

function expectOnlyResettableGlobalWrites(landed: string[]): void {
  const onGlobals = landed.filter((write) => write.startsWith('globalThis'));
  expect(onGlobals.filter((write) => !RESET_BY_RESTORE.some((pattern) => pattern.test(write)))).toEqual([]);
  // The attack did try, and it did land the writes that restore() must undo.
  expect(onGlobals).toEqual(expect.arrayContaining([`globalThis define ${MARK}`, 'globalThis setPrototypeOf', 'globalThis.Error set prepareStackTrace']));
}

function expectNoTrace(before: Walk, after: Walk): void {
  const { changed, lines } = changes(before, after);
  // The paths first, readable; the lines themselves (before and after) only if the paths do not differ.
  expect(changed).toEqual([]);
  expect(lines).toEqual([]);
  expect(after.lines.filter((line) => line.includes(MARK))).toEqual([]);
}

let sandbox: ThreadSandbox;

beforeAll(() => {
  // One thread: consecutive runs share its VM (a run that fails would retire it; none of these fails).
  sandbox = createThreadSandbox({ threads: 1, memoryMb: 128 });
});

afterAll(() => sandbox.close());

describe('a write to any object reachable from the globals', () => {
  it('is not seen by the next run on the same thread and VM', async () => {
    // A sandbox of its own, so that what the attack leaves (if anything) shows here and not in other tests.
    const walked = createThreadSandbox({ threads: 1, memoryMb: 128 });
    try {
      const { before, landed, after } = await attackBetweenWalks(walked);
      expectOnlyResettableGlobalWrites(landed);
      expectNoTrace(before, after);
      expect(walked.threadsKilled).toBe(0);
    } finally {
      await walked.close();
    }
  });

  it('is not seen across a VM replacement on the same thread (host objects the VMs share)', async () => {
    const fresh = createThreadSandbox({ threads: 1, memoryMb: 128, runsPerVm: 1 });
    try {
      const { before, landed, after } = await attackBetweenWalks(fresh);
      expectOnlyResettableGlobalWrites(landed);
      expectNoTrace(before, after);
    } finally {
      await fresh.close();
    }
  });

  it('is not seen by the next run when fetch is on, its response objects included', async () => {
    const server: Server = createServer((req, res) => {
      // No Date header: the walks compare the responses' headers too.
      res.sendDate = false;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const withFetch = createThreadSandbox({ threads: 1, memoryMb: 128, fetchAllow: [`127.0.0.1:${port}`] });
    try {
      const roots = `const response = await fetch('http://127.0.0.1:${port}/');
        const EXTRA_ROOTS = [['response', response], ['response json', await response.json()], ['response bytes', await response.bytes()], ['response buffer', await response.arrayBuffer()], ['refused fetch', await fetch('http://127.0.0.2:1/').catch((e) => e)]];`;
      const { before, landed, after } = await attackBetweenWalks(withFetch, roots);
      expectOnlyResettableGlobalWrites(landed);
      expect(before.lines.some((line) => line.startsWith('fetch(run) '))).toBe(true);
      expect(before.lines.some((line) => line.startsWith('response '))).toBe(true);
      expectNoTrace(before, after);
    } finally {
      await withFetch.close();
      server.close();
    }
  });
});

/**
 * Runs `steps` one after the other on one ScenarioVm, in a worker thread of its own (as the sandbox
 * does: a VM built in Jest's realm would freeze Jest's own objects through the host helpers), and
 * answers each step's output and console lines. A step with `clearTimers: false` leaves its RunTimers
 * uncleared, as a careless caller would.
 */
interface Step {
  source: string;
  session?: string;
  clearTimers?: boolean;
}

const VM_RUNNER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { dist, steps, variables } = workerData;
const { ScenarioVm } = require(dist + '/scenario-vm');
const { compileScenario } = require(dist + '/compile-scenario');
const { RunTimers } = require(dist + '/run-timers');
(async () => {
  const vm = ScenarioVm.create(128);
  const fetches = { start() {}, clear() {} };
  const results = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (!vm.restore()) throw new Error('restore() failed before step ' + i);
    const lines = [];
    const logs = { add: (level, args) => { lines.push(level + ': ' + args.map(String).join(' ')); } };
    const timers = new RunTimers();
    if (step.clearTimers === false) timers.clear = () => {};
    const run = { ...variables, cookies: { session: step.session || 's-1' } };
    const output = await vm.run('step-' + i, compileScenario(step.source), run, logs, timers, fetches);
    // The thread takes its next run in a later macrotask, once the promise jobs left behind are done.
    await new Promise((resolve) => setImmediate(resolve));
    results.push({ output, logs: lines });
  }
  return results;
})().then((results) => parentPort.postMessage({ results }), (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
`;

async function inOneVm(steps: Step[]): Promise<Array<{ output: Record<string, unknown>; logs: string[] }>> {
  const dist = path.dirname(require.resolve('@webrequests/sandbox'));
  const worker = new Worker(VM_RUNNER, { eval: true, workerData: { dist, steps, variables }, env: {} });
  try {
    const [answer] = (await once(worker, 'message')) as [{ results?: Array<{ output: Record<string, unknown>; logs: string[] }>; error?: string }];
    if (answer.error !== undefined) throw new Error(answer.error);
    return answer.results!;
  } finally {
    await worker.terminate();
  }
}

describe('one VM, runs back to back (the VM object itself, so the sharing is certain)', () => {
  it('keeps every write of one run from the next', async () => {
    const [before, attack, after] = await inOneVm([{ source: WALK }, { source: ATTACK }, { source: WALK }]);
    const { landed } = attack.output as unknown as { landed: string[] };
    // The attack did land writes: on the run's own objects, and on the global object until restore().
    expect(landed).toEqual(expect.arrayContaining(['console(run) overwrite log', 'variables overwrite cookies']));
    expectOnlyResettableGlobalWrites(landed);
    expectNoTrace(before.output as unknown as Walk, after.output as unknown as Walk);
  });

  it('never runs a sleep callback of a run that is over, even when its caller does not clear the timers', async () => {
    const [, later, last] = await inOneVm([
      { source: "sleep(20).then(() => { globalThis.woke = cookies.session; console.log('woke'); }); sleep(0).then(() => { globalThis.woke0 = 1; }); return {};", session: 'caller-a-secret', clearTimers: false },
      { source: 'await sleep(80); return { woke: typeof woke === "undefined" ? null : woke, woke0: typeof woke0 === "undefined" ? null : woke0 };' },
      { source: 'return { woke: typeof woke === "undefined" ? null : woke };' },
    ]);
    expect(later).toEqual({ output: { woke: null, woke0: null }, logs: [] });
    expect(last).toEqual({ output: { woke: null }, logs: [] });
  });
});

describe('Buffer and the other host helpers', () => {
  it('keep no data one scenario stores on them for another', async () => {
    const store = `
      const stash = cookies.session;
      const targets = [Buffer, Buffer.prototype, Buffer.from, Buffer.alloc, Buffer.concat, Buffer.of, Buffer.allocUnsafe, Buffer.allocUnsafeSlow, Buffer.copyBytesFrom,
        Buffer.prototype.inspect, Buffer.prototype.toJSON, Buffer.prototype.subarray, Buffer.prototype.slice, Buffer.isBuffer,
        Object.getOwnPropertyDescriptor(Buffer, Symbol.species).get.call(Buffer), Error.prepareStackTrace,
        URL, URL.prototype, URLSearchParams, TextEncoder, TextDecoder, TextDecoder.prototype, crypto, crypto.createHash, console, globalThis.console.log];
      for (const target of targets) {
        if (target === undefined || target === null) continue;
        try { target.stash = stash; } catch {}
        try { Object.defineProperty(target, 'stash2', { value: stash, enumerable: true }); } catch {}
        try { if (typeof target === 'function') target.prototype.stash = stash; } catch {}
      }
      return {};
    `;
    const read = `
      const found = [];
      const targets = { Buffer, 'Buffer.prototype': Buffer.prototype, 'Buffer.from': Buffer.from, 'Buffer.alloc': Buffer.alloc, 'Buffer.concat': Buffer.concat, 'Buffer.of': Buffer.of,
        'Buffer.allocUnsafe': Buffer.allocUnsafe, 'Buffer.allocUnsafeSlow': Buffer.allocUnsafeSlow, 'Buffer.copyBytesFrom': Buffer.copyBytesFrom,
        'Buffer.prototype.inspect': Buffer.prototype.inspect, 'Buffer.prototype.toJSON': Buffer.prototype.toJSON, 'Buffer.prototype.subarray': Buffer.prototype.subarray,
        'Buffer.prototype.slice': Buffer.prototype.slice, 'Buffer.isBuffer': Buffer.isBuffer, 'Buffer[Symbol.species]': Object.getOwnPropertyDescriptor(Buffer, Symbol.species).get.call(Buffer),
        'Error.prepareStackTrace': Error.prepareStackTrace, URL, 'URL.prototype': URL.prototype, URLSearchParams, TextEncoder, TextDecoder, 'TextDecoder.prototype': TextDecoder.prototype,
        crypto, 'crypto.createHash': crypto.createHash, console, 'globalThis.console.log': globalThis.console.log };
      for (const [name, target] of Object.entries(targets)) {
        if (target === undefined || target === null) continue;
        for (const key of ['stash', 'stash2']) if (target[key] !== undefined) found.push(name + '.' + key + '=' + target[key]);
        try { if (typeof target === 'function' && target.prototype && target.prototype.stash !== undefined) found.push(name + '.prototype.stash=' + target.prototype.stash); } catch {}
      }
      return { found };
    `;
    await output(sandbox, store, { variables: caller('endpoint-x-caller-cookie') });
    expect(await output(sandbox, read, { variables: caller('endpoint-y-caller') })).toEqual({ found: [] });
  });

  it('cannot be given an own bind, call or apply that changes what a later scenario computes', async () => {
    const plant = `
      const evil = () => () => Buffer.from('evil');
      for (const fn of [Buffer.concat, Buffer.from, Buffer.alloc, Buffer.of, Buffer.prototype.toJSON, Buffer.prototype.inspect]) {
        for (const key of ['bind', 'call', 'apply']) {
          try { fn[key] = key === 'bind' ? evil : () => Buffer.from('evil'); } catch {}
          try { Object.defineProperty(fn, key, { value: key === 'bind' ? evil : () => Buffer.from('evil') }); } catch {}
        }
      }
      return {};
    `;
    const use = `
      const join = Buffer.concat.bind(Buffer);
      return {
        joined: join([Buffer.from('a'), Buffer.from('b')]).toString(),
        called: Buffer.from.call(Buffer, 'c').toString(),
        applied: Buffer.alloc.apply(Buffer, [1, 'd']).toString(),
        json: Buffer.prototype.toJSON.call(Buffer.from('e')).data,
        own: [Buffer.concat, Buffer.from, Buffer.alloc, Buffer.of].map((fn) => Object.getOwnPropertyNames(fn).sort().join(',')),
      };
    `;
    const baseline = await output(sandbox, use);
    expect(baseline).toMatchObject({ joined: 'ab', called: 'c', applied: 'd', json: [101] });
    await output(sandbox, plant);
    expect(await output(sandbox, use)).toEqual(baseline);
  });

  it('cannot have the stack-frame objects of later runs changed (their prototype is shared)', async () => {
    const frames = 'let frames; const before = Error.prepareStackTrace; Error.prepareStackTrace = (e, f) => { frames = f; return ""; }; new Error("x").stack; Error.prepareStackTrace = before;';
    const tamper = `${frames}
      const proto = Object.getPrototypeOf(frames[0]);
      globalThis.unused = 1;
      try { proto.toString = function () { return 'at ' + cookies.session; }; } catch {}
      try { delete proto.getLineNumber; } catch {}
      try { proto.stash = cookies.session; } catch {}
      return {};`;
    const look = `${frames}
      const proto = Object.getPrototypeOf(frames[0]);
      return { stack: new Error('y').stack.split('\\n').slice(0, 2), frame: String(frames[0]), line: typeof frames[0].getLineNumber, stash: proto.stash ?? null };`;
    const baseline = await output(sandbox, look);
    await output(sandbox, tamper, { variables: caller('caller-a-secret') });
    expect(await output(sandbox, look)).toEqual(baseline);
  });
});

describe('work a run leaves behind', () => {
  it('has no setTimeout, setInterval, setImmediate or queueMicrotask to leave behind', async () => {
    expect(await output(sandbox, 'return { kinds: [typeof setTimeout, typeof setInterval, typeof setImmediate, typeof queueMicrotask, typeof clearTimeout] }')).toEqual({
      kinds: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'],
    });
  });

  it('never wakes a sleep loop of a finished run during a later run or after it', async () => {
    await output(sandbox, "(async () => { for (let i = 0; i < 100; i++) { await sleep(5); globalThis.ticks = (globalThis.ticks ?? 0) + 1; console.log('tick'); try { Buffer.from.ticks = globalThis.ticks; } catch {} } })(); return {};");
    const later = await sandbox.run(request('await sleep(120); return { ticks: typeof ticks === "undefined" ? null : ticks, onBuffer: Buffer.from.ticks ?? null }', { timeoutMs: 5000 }));
    expect(later).toMatchObject({ kind: 'output', output: { ticks: null, onBuffer: null }, logs: [] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await output(sandbox, 'return { ticks: typeof ticks === "undefined" ? null : ticks, onBuffer: Buffer.from.ticks ?? null }')).toEqual({ ticks: null, onBuffer: null });
  });

  it('leaves no state from promise jobs that ran after the run answered', async () => {
    await output(
      sandbox,
      `let n = 0;
       const step = () => {
         if (++n < 20000) return Promise.resolve().then(step);
         globalThis.late = cookies.session;
         try { Buffer.from.late = cookies.session; } catch {}
         try { Buffer.prototype.inspect.late = cookies.session; } catch {}
         try { Error.prepareStackTrace.late = cookies.session; } catch {}
         console.log('late job');
       };
       step();
       return {};`,
      { variables: caller('caller-a-secret') },
    );
    const later = await sandbox.run(request('return { seen: [typeof late, Buffer.from.late, Buffer.prototype.inspect.late, Error.prepareStackTrace.late].map(String) }'));
    expect(later).toMatchObject({ kind: 'output', output: { seen: ['undefined', 'undefined', 'undefined', 'undefined'] }, logs: [] });
  });
});
