import { TextDecoder, TextEncoder } from 'node:util';
import { VM, type VMOptions } from 'vm2';
import { hostBytes } from './host-bytes';
import { createScenarioConsole, type ConsoleTarget } from './scenario-console';
import { createScenarioCrypto } from './scenario-crypto';
import { preludeScript, type PreludeHandle } from './sandbox-prelude';

/** vm2 3.12 takes `bufferAllocLimit`; its typings predate the option. */
type VmOptions = VMOptions & { bufferAllocLimit: number };

/** A fresh VM with the scenario globals in place, waiting for the one run it will serve. */
export interface PreparedVm {
  vm: VM;
  prelude: PreludeHandle;
  console: ConsoleTarget;
}

function cryptoInput(prelude: PreludeHandle) {
  return (value: unknown): string | Buffer => {
    if (typeof value === 'string') return value;
    const bytes = hostBytes(value, prelude);
    if (bytes === null) throw new TypeError('crypto expects a string, a Buffer or a typed array');
    return bytes;
  };
}

/**
 * Makes a VM with the globals every scenario gets (URL, URLSearchParams, TextEncoder/TextDecoder,
 * Buffer, console, crypto) and its prelude run. The run's own variables and `sleep` are installed
 * when it starts. Costs about 1.5 ms, mostly vm2's context and bridge setup.
 */
export function prepareVm(memoryMb: number): PreparedVm {
  const target: ConsoleTarget = { logs: null };
  const options: VmOptions = {
    sandbox: { URL, URLSearchParams, TextEncoder, TextDecoder, console: createScenarioConsole(target) },
    // WebAssembly memory lives outside the heap cap, and no scenario needs it.
    wasm: false,
    // A Buffer's bytes live outside the heap cap too: cap each one at the heap's size.
    bufferAllocLimit: memoryMb * 1024 * 1024,
  };
  const vm = new VM(options);
  const prelude = vm.run(preludeScript) as PreludeHandle;
  vm.setGlobal('crypto', createScenarioCrypto(cryptoInput(prelude)));
  return { vm, prelude, console: target };
}
