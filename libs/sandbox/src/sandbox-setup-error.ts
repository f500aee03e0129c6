/** The sandbox itself could not be set up for a run (a VM failed to build or to harden): not the scenario's fault. */
export class SandboxSetupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SandboxSetupError';
  }
}
