// Source: vm2 test/vm.js "buffer attack", https://github.com/patriksimek/vm2/blob/main/test/vm.js.
// Tried: read uninitialised host memory through Buffer.allocUnsafe / new Buffer(n) / Buffer(n) /
// subclasses (vm2 zero-fills them), and the constructor chain of a host Buffer.
const out = {};
const forms = {
  allocUnsafe: () => Buffer.allocUnsafe(4096),
  allocUnsafeSlow: () => Buffer.allocUnsafeSlow(4096),
  newBuffer: () => new Buffer(4096),
  callBuffer: () => Buffer(4096),
  subclassAlloc: () => { class MyBuffer extends Buffer {} return MyBuffer.alloc(4096); },
  subclassNew: () => { class MyBuffer2 extends Buffer {} return new MyBuffer2(4096); },
};
for (const [name, make] of Object.entries(forms)) {
  try {
    const b = make();
    let nonZero = 0;
    for (let i = 0; i < b.length; i++) if (b[i] !== 0) nonZero++;
    out[name] = nonZero;
    if (nonZero > 0) __wr.flag(`${name} returned ${nonZero} non-zero bytes of uninitialised memory`);
    __wr.use(b, name + ' result');
  } catch (e) {
    out[name] = 'threw ' + e.message;
  }
}
__wr.use(Buffer.allocUnsafe(1).constructor.constructor, 'Buffer.allocUnsafe(1).constructor.constructor');
return out;
