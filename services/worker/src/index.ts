export { ProcessRunner } from './process-runner';
export type { JobResult, ProcessMetrics, RunnerDeps } from './process-runner';
export { WorkerMetrics } from './worker-metrics';
export { startWorkerHttp } from './worker-http';
export type { WorkerHttp, WorkerHttpOptions } from './worker-http';
export { maskedError, maskedLogs, secretMasker } from './secret-masker';
export { startSandbox } from './start-sandbox';
