import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProcessFinish } from '@webrequests/store';
import type { ProcessMetrics } from './process-runner';

const FINAL_STATUSES: ReadonlyArray<ProcessFinish['status']> = ['completed', 'failed', 'aborted'];

/**
 * The worker's Prometheus metrics, in a registry of its own (not prom-client's global one, so two
 * workers built in one test process do not collide): Node's defaults, processes by final status, the
 * scenarios' run time, the sandbox threads killed and the store's calls by method.
 */
export class WorkerMetrics implements ProcessMetrics {
  readonly registry = new Registry();
  private readonly processes: Counter<'status'>;
  private readonly duration: Histogram<'status'>;
  private readonly storeOperations: Counter<'operation'>;

  /** `threadsKilled` reads the sandbox's running total of killed threads (deadline, abort, memory). */
  constructor(threadsKilled: () => number) {
    collectDefaultMetrics({ register: this.registry });
    this.processes = new Counter({
      name: 'webrequests_processes_total',
      help: 'Processes this worker brought to a final status, by status.',
      labelNames: ['status'],
      registers: [this.registry],
    });
    // Every status from the start at 0, so a rate() over the first failure is not lost.
    for (const status of FINAL_STATUSES) this.processes.labels(status).inc(0);
    this.duration = new Histogram({
      name: 'webrequests_scenario_duration_seconds',
      help: 'Run time of scenarios in the sandbox, by the final status of their process.',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [this.registry],
    });
    this.storeOperations = new Counter({
      name: 'webrequests_store_operations_total',
      help: 'Calls of the store (process records, catalogs, secrets) by this worker, by Store method.',
      labelNames: ['operation'],
      registers: [this.registry],
    });
    let reported = 0;
    new Counter({
      name: 'webrequests_sandbox_threads_killed_total',
      help: 'Sandbox threads terminated because a scenario passed its deadline, was stopped or ran out of memory.',
      registers: [this.registry],
      collect() {
        const total = threadsKilled();
        this.inc(Math.max(0, total - reported));
        reported = Math.max(reported, total);
      },
    });
  }

  /** Counts one call of the store (`finishProcess`, `processState`…); see `countedStore`. */
  storeOperation(operation: string): void {
    this.storeOperations.inc({ operation });
  }

  processFinished(status: ProcessFinish['status'], durationMs: number | null): void {
    this.processes.labels(status).inc();
    if (durationMs !== null) this.duration.labels(status).observe(durationMs / 1000);
  }
}
