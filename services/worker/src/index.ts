export { ProcessRunner } from './process-runner';
export type { JobResult, ProcessMetrics, RunnerDeps } from './process-runner';
export { WorkerMetrics } from './worker-metrics';
export { startWorkerHttp } from './worker-http';
export type { WorkerHttp, WorkerHttpOptions } from './worker-http';
