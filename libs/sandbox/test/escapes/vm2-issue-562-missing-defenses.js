// Source: vm2 issue #562 (https://github.com/patriksimek/vm2/issues/562), test/vm.js "missing sandbox
// defenses (issue #562)": array species self-return on host arrays and prepareStackTrace = undefined.
// Tried: set `constructor` (direct and via defineProperty) on a host Buffer to a self-returning
// species so that map/slice store raw host results into it; clear Error.prepareStackTrace and use a
// Symbol-named error to get a host TypeError from Node's formatter.
const out = {};
try {
  const arr = Buffer.from([1, 2, 3]);
  arr.constructor = function x() { return arr; };
  out.mapSelf = arr.map((x) => x * 2) === arr;
} catch (e) { out.mapSelf = String(e.message); }
try {
  const arr = Buffer.from([1, 2, 3]);
  Object.defineProperty(arr, 'constructor', { value: function x() { return arr; }, writable: true, configurable: true });
  out.defineSelf = arr.map((x) => x * 2) === arr;
} catch (e) { out.defineSelf = String(e.message); }
try {
  const arr = Buffer.from([1, 2, 3]);
  function x() { return arr; }
  x[Symbol.species] = x;
  arr.constructor = x;
  out.sliceSelf = arr.slice(0) === arr;
} catch (e) { out.sliceSelf = String(e.message); }
try {
  Error.prepareStackTrace = undefined;
  const e = new Error('msg');
  e.name = Symbol('test');
  out.symbolStack = typeof e.stack;
} catch (ex) { out.symbolStack = 'threw'; __wr.use(ex, 'formatter error'); }
return out;
