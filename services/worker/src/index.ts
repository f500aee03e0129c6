export { ProcessRunner } from './process-runner';
export type { JobResult, RunnerDeps } from './process-runner';
