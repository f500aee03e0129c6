import type { OutboundFetch } from './outbound-fetch';
import { SandboxSetupError } from './sandbox-setup-error';
import { ScenarioVm } from './scenario-vm';

/**
 * The thread's VM, reused run after run and replaced by a fresh one after `runsPerVm` runs or after
 * any run that failed (defence in depth: a run that threw or returned something unexportable may have
 * been probing the sandbox). The replacement is built while the thread is idle, after the result is
 * posted, so the next run does not wait for it unless it comes at once.
 */
export class WarmVm {
  private current: ScenarioVm | null = null;
  /** The VM a run is using: nothing touches it until the run is over. */
  private inUse: ScenarioVm | null = null;
  private scheduled = false;

  constructor(
    private readonly memoryMb: number,
    private readonly runsPerVm: number,
    /** The scenarios' `fetch`; null when it is off. */
    private readonly outbound: OutboundFetch | null = null,
  ) {}

  /**
   * A VM for the next run, its shared state put back as it was: the current one, or a new one. Call
   * it at the start of a run, in a turn of its own (see ThreadSandbox), and {@link release} it after.
   */
  take(): ScenarioVm {
    if (this.current && !this.current.restore()) this.current = null;
    try {
      this.current ??= ScenarioVm.create(this.memoryMb, this.outbound);
    } catch (error) {
      throw new SandboxSetupError(`the sandbox VM could not be built: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.inUse = this.current;
    return this.current;
  }

  /** Called after each run on `vm`: retires it if it served its share of runs or the run failed. */
  release(vm: ScenarioVm, runSucceeded: boolean): void {
    if (this.inUse === vm) this.inUse = null;
    if (this.current === vm && (!runSucceeded || vm.runs >= this.runsPerVm)) this.current = null;
    this.prepareSoon();
  }

  /**
   * Once the current turn is over (the run's last promise jobs included), puts the VM's shared state
   * back or replaces the VM, so that a run that left it dirty costs the next run nothing. Does nothing
   * if a run has started meanwhile: its release schedules this again.
   */
  prepareSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inUse) return;
      if (this.current && !this.current.restore()) this.current = null;
      try {
        this.current ??= ScenarioVm.create(this.memoryMb, this.outbound);
      } catch {
        // take() tries again when a run comes, and that run reports the failure.
      }
    });
  }
}
