import { randomBytes } from 'node:crypto';
import { VM, type VMOptions, type VMScript } from 'vm2';
import type { ScenarioVariables } from '@webrequests/contracts';
import { exportOutput } from './export-output';
import { hostBytes } from './host-bytes';
import { freezeWithMethods, hostHelpers, scenarioTextCodecs, type ScenarioBytes } from './host-helpers';
import type { LogCollector } from './log-collector';
import type { FetchAnswer, OutboundFetch, OutboundRequest } from './outbound-fetch';
import { hardenScript, type HardenRealm, type RealmGuard } from './realm-guard';
import type { RunFetches } from './run-fetches';
import type { RunTimers } from './run-timers';
import { ANY_RUN, consoleWrite, type ConsoleWrite } from './scenario-console';
import { createScenarioCrypto } from './scenario-crypto';
import { ScenarioFetchError } from './scenario-fetch-error';
import { preludeScript, type DecodeUtf8, type FetchDone, type PreludeHandle, type SettleRun, type StartFetch, type StartTimer } from './sandbox-prelude';
import { stackFormatScript } from './scenario-stack';
import { ScriptCache } from './script-cache';

/** vm2 3.12 takes `bufferAllocLimit`; its typings predate the option. */
type VmOptions = VMOptions & { bufferAllocLimit: number };

/** Scenario functions one VM keeps, as many as the thread keeps compiled scripts. */
const FUNCTIONS_KEPT = 500;

/** Random bytes `Math.random` fetches from the host at a time: 512 numbers. */
const RANDOM_BATCH_BYTES = 4096;

function cryptoInput(prelude: PreludeHandle) {
  return (value: unknown): string | Buffer => {
    if (typeof value === 'string') return value;
    const bytes = hostBytes(value, prelude);
    if (bytes === null) throw new TypeError('crypto expects a string, a Buffer or a typed array');
    return bytes;
  };
}

/** How the host's text codecs reach the bytes of the sandbox's own typed arrays, through the prelude. */
function scenarioBytes(prelude: PreludeHandle): ScenarioBytes {
  return {
    read: (value) => hostBytes(value, prelude),
    sandboxUint8Length: (value) => prelude.uint8Length(value),
    writeSandboxBytes: (target, bytes) => prelude.writeLatin1(target, bytes.toString('latin1')),
  };
}

/** The run a VM is serving: its token (`ANY_RUN` is never one), its logs, its sleep timers and its fetches. */
interface ActiveRun {
  token: number;
  logs: LogCollector;
  timers: RunTimers;
  fetches: RunFetches;
  /** Settle the run's wait for its scenario's outcome (see {@link ScenarioVm.run}). */
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const decodeUtf8: DecodeUtf8 = (latin1) => (typeof latin1 === 'string' ? Buffer.from(latin1, 'latin1').toString('utf8') : '');

/** The host request for what the prelude's `fetch` passed; reading a bytes body may ask the sandbox (see hostBytes). */
function outboundRequest(url: string, method: string, headersJson: string, body: unknown, prelude: PreludeHandle): OutboundRequest {
  const headers = JSON.parse(String(headersJson)) as Record<string, string>;
  if (body === undefined || typeof body === 'string') return { url: String(url), method: String(method), headers, body: body ?? null };
  const bytes = hostBytes(body, prelude);
  if (bytes === null) throw new ScenarioFetchError('fetch failed: a body must be a string, bytes (Uint8Array, ArrayBuffer, Buffer) or a plain object (sent as JSON)');
  return { url: String(url), method: String(method), headers, body: bytes };
}

function deliver(done: FetchDone, error: unknown, answer: FetchAnswer | undefined): void {
  if (answer === undefined) {
    const message = error instanceof ScenarioFetchError ? error.message : `fetch failed: ${error instanceof Error ? error.message : String(error)}`;
    done(message);
    return;
  }
  done(null, answer.status, answer.statusText, answer.url, answer.redirected, JSON.stringify(answer.headers), answer.body.toString('latin1'));
}

/**
 * One vm2 VM that serves many runs of a thread, one at a time, without letting them see each other:
 * its shared state is frozen before the first run (realm-guard.ts), what freezing cannot cover is put
 * back before each run ({@link restore}), and a run's own state (variables, console, sleep) lives in
 * the parameters of the scenario's function, made fresh for each call. A console, sleep or fetch left
 * behind by a run carries that run's token, and the host drops its calls once another run is in progress;
 * a run's sleep timers are cleared and its fetches aborted as soon as it settles, and a wake-up that
 * fires anyway is dropped unless its run is the one in progress, so no timer of a run ever calls back
 * into a later one.
 * Building one costs a few milliseconds (vm2's context and bridge, then the freezing); a run on it
 * costs microseconds.
 */
export class ScenarioVm {
  private readonly functions = new ScriptCache<unknown>(FUNCTIONS_KEPT);
  private served = 0;
  private readonly write: ConsoleWrite;
  private readonly startTimer: StartTimer;
  /** How the sandbox hands back a run's outcome: the same function for every run (see PreludeHandle.call). */
  private readonly settle: SettleRun;
  /** Null when fetch is off: the scenario's `fetch` is then undefined. */
  private readonly startFetch: StartFetch | null;

  private constructor(
    private readonly vm: VM,
    private readonly prelude: PreludeHandle,
    private readonly guard: RealmGuard,
    private readonly slot: { active: ActiveRun | null },
    outbound: OutboundFetch | null,
  ) {
    this.write = consoleWrite((token) => logsOf(slot.active, token));
    // A late settle of a run that is over finds another token, or none, and is ignored.
    this.settle = (token, ok, value) => {
      const active = slot.active;
      if (active?.token !== token) return;
      if (ok) active.resolve(value);
      else active.reject(value);
    };
    // Checked when the timer is started and again when it fires: a wake-up of a run that is over never
    // runs, even if whoever ended the run forgot to clear its timers.
    this.startTimer = (token, callback, ms) => {
      if (slot.active?.token === token) slot.active.timers.start(() => slot.active?.token === token && callback(), ms);
    };
    this.startFetch =
      outbound === null || !outbound.enabled
        ? null
        : (token, url, method, headersJson, body, done) => {
            if (slot.active?.token !== token) return;
            slot.active.fetches.start(
              (signal) => outbound.fetch(outboundRequest(url, method, headersJson, body, prelude), signal),
              (error, answer) => deliver(done, error, answer),
            );
          };
  }

  /**
   * Builds and hardens a VM; throws if some of its shared state could not be frozen (never share such a
   * VM). Scenarios get a `fetch` through `outbound` when it is given and enabled.
   */
  static create(memoryMb: number, outbound: OutboundFetch | null = null): ScenarioVm {
    const options: VmOptions = {
      sandbox: { ...hostHelpers() },
      // WebAssembly memory lives outside the heap cap, and no scenario needs it.
      wasm: false,
      // A Buffer's bytes live outside the heap cap too: cap each one at the heap's size.
      bufferAllocLimit: memoryMb * 1024 * 1024,
    };
    const vm = new VM(options);
    const prelude = vm.run(preludeScript) as PreludeHandle;
    // The scenario's own frames at its own lines, instead of vm2's `at CallSite {}` (see scenario-stack.ts).
    vm.run(stackFormatScript);
    const slot: { active: ActiveRun | null } = { active: null };
    vm.setGlobal('crypto', freezeWithMethods(createScenarioCrypto(cryptoInput(prelude))));
    const codecs = scenarioTextCodecs(scenarioBytes(prelude));
    vm.setGlobal('TextEncoder', codecs.TextEncoder);
    vm.setGlobal('TextDecoder', codecs.TextDecoder);
    vm.setGlobal('console', prelude.globalConsole(consoleWrite((token) => logsOf(slot.active, token))));
    const { guard, failures } = (vm.run(hardenScript) as HardenRealm)(() => randomBytes(RANDOM_BATCH_BYTES).toString('latin1'));
    if (failures.length > 0) throw new Error(`the sandbox VM could not be hardened: ${failures.join('; ')}`);
    return new ScenarioVm(vm, prelude, guard, slot, outbound);
  }

  /** Runs started on this VM. */
  get runs(): number {
    return this.served;
  }

  /**
   * Puts back the shared state a previous run may have changed. Call it before each run, once that
   * run's promise jobs are all done; false means the VM must not serve another run.
   */
  restore(): boolean {
    try {
      return this.guard.restore();
    } catch {
      return false;
    }
  }

  /**
   * Runs the scenario compiled as `script` (made into this VM's function on first use, kept under
   * `key`) with fresh copies of the variables, a console writing into `logs`, a sleep on `timers` and a
   * fetch on `fetches`, and copies its output out of the sandbox. The run is over when this settles:
   * its sleep timers are cleared and its fetches aborted then (whatever the caller does after).
   */
  async run(key: string, script: VMScript, variables: ScenarioVariables, logs: LogCollector, timers: RunTimers, fetches: RunFetches): Promise<Record<string, unknown>> {
    const fn = this.functions.get(key, () => this.prelude.adopt(this.vm.run(script)));
    const token = ++this.served;
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        this.slot.active = { token, logs, timers, fetches, resolve, reject };
        this.prelude.call(fn, JSON.stringify(variables), token, this.write, this.startTimer, this.startFetch, decodeUtf8, this.settle);
      });
      return exportOutput(result, this.prelude);
    } finally {
      this.slot.active = null;
      timers.clear();
      fetches.clear();
    }
  }
}

/** The logs a console call tagged `token` goes to: the active run's, if the call is that run's or the global console's. */
function logsOf(active: ActiveRun | null, token: number): LogCollector | null {
  return active !== null && (token === active.token || token === ANY_RUN) ? active.logs : null;
}
