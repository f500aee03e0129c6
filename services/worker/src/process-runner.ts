import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  ScenarioFailedError,
  capJson,
  toResponseSpec,
  type JobPayload,
  type ProcessError,
  type ResultMessage,
  type SandboxOutcome,
} from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import { publishResult } from '@webrequests/queue';
import type { Sandbox } from '@webrequests/sandbox';
import type { ProcessFinish, Store } from '@webrequests/store';

/** What a {@link ProcessRunner} is built from. */
export interface RunnerDeps {
  store: Store;
  sandbox: Sandbox;
  /** Connection used to publish answers to the waiting ingress. */
  publisher: Redis;
  logger: Logger;
  /** This worker's name in process records. */
  workerId: string;
  /** Largest output / logs kept in a record (bytes of JSON). */
  resultLimit: number;
}

/** What the job ends with in BullMQ: small on purpose, the record holds the rest. */
export interface JobResult {
  status: ProcessFinish['status'] | 'skipped';
}

/** A binary `$body` is kept in the record as base64, since records are JSON. */
function recordable(output: Record<string, unknown>): Record<string, unknown> {
  const body = output.$body;
  if (!(body instanceof Uint8Array)) return output;
  return { ...output, $body: { type: 'Buffer', base64: Buffer.from(body).toString('base64') } };
}

function statusOf(error: ProcessError): ProcessFinish['status'] {
  return error.code === 'timeout' || error.code === 'aborted' ? 'aborted' : 'failed';
}

/**
 * Runs one process per job: skips it when its deadline passed in the queue, marks it running, runs the
 * scenario in the sandbox, writes the final record and answers the waiting ingress. Holds an abort
 * handle per running process so an operator can stop it.
 */
export class ProcessRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly log: Logger;

  constructor(private readonly deps: RunnerDeps) {
    this.log = deps.logger.child({ module: 'runner' });
  }

  /** Stops the process if this worker runs it; answers whether it did. */
  abort(processId: string): boolean {
    const controller = this.running.get(processId);
    controller?.abort();
    return controller !== undefined;
  }

  /** The BullMQ processor. Rejects only when the store or Redis fails, after telling the caller. */
  async process(job: Job<JobPayload>): Promise<JobResult> {
    const payload = job.data;
    try {
      return await this.run(payload, job.attemptsStarted);
    } catch (error) {
      this.log.error('process could not be run', { processId: payload.processId, requestId: payload.requestId, error: String(error) });
      await this.answer(payload, { kind: 'error', processId: payload.processId, error: { code: 'unavailable', message: 'the store cannot be reached' } }).catch(() => undefined);
      throw error;
    }
  }

  private async run(payload: JobPayload, attempts: number): Promise<JobResult> {
    const { store } = this.deps;
    if (Date.now() >= payload.deadline) {
      const error = { code: 'timeout', message: 'the deadline passed before a worker took the process' };
      return this.conclude(payload, { kind: 'error', error, logs: [], durationMs: 0 }, null);
    }
    const scenario = await store.getScenario(payload.scriptId);
    if (!scenario) {
      const error = { code: 'scenario_failed', message: `scenario ${payload.scriptId} no longer exists` };
      return this.conclude(payload, { kind: 'error', error, logs: [], durationMs: 0 }, null);
    }
    const startedAt = new Date();
    const started = await store.startProcess(payload.processId, { startedAt: startedAt.toISOString(), worker: this.deps.workerId, attempts });
    if (!started) {
      this.log.info('process skipped: deleted or already final', { processId: payload.processId });
      return { status: 'skipped' };
    }
    const controller = new AbortController();
    this.running.set(payload.processId, controller);
    try {
      const outcome = await this.deps.sandbox.run({
        scriptId: scenario.id,
        scriptVersion: scenario.updatedAt,
        source: scenario.source,
        variables: payload.variables,
        deadline: payload.deadline,
        signal: controller.signal,
      });
      return await this.conclude(payload, outcome, startedAt);
    } finally {
      this.running.delete(payload.processId);
    }
  }

  /** Validates the output into a response, writes the final record, then answers the caller. */
  private async conclude(payload: JobPayload, outcome: SandboxOutcome, startedAt: Date | null): Promise<JobResult> {
    const { processId } = payload;
    let message: ResultMessage;
    let finish: Omit<ProcessFinish, 'finishedAt' | 'durationMs'>;
    const logs = capJson(outcome.logs, this.deps.resultLimit);
    const cappedLogs = Array.isArray(logs) ? logs : [{ level: 'warn' as const, message: JSON.stringify(logs), at: Date.now() }];
    try {
      if (outcome.kind === 'error') throw outcome.error;
      const response = toResponseSpec(outcome.output);
      message = { kind: 'response', processId, response };
      finish = { status: 'completed', output: capJson(recordable(outcome.output), this.deps.resultLimit), error: null, logs: cappedLogs };
    } catch (thrown) {
      const error: ProcessError =
        thrown instanceof ScenarioFailedError ? { code: thrown.code, message: thrown.message } : (thrown as ProcessError);
      message = { kind: 'error', processId, error };
      finish = { status: statusOf(error), output: null, error, logs: cappedLogs };
    }
    const finishedAt = new Date();
    const durationMs = startedAt ? finishedAt.getTime() - startedAt.getTime() : null;
    await this.deps.store.finishProcess(processId, { ...finish, finishedAt: finishedAt.toISOString(), durationMs });
    await this.answer(payload, message);
    this.log.info('process finished', { processId, requestId: payload.requestId, urlId: payload.urlId, status: finish.status, durationMs });
    return { status: finish.status };
  }

  private async answer(payload: JobPayload, message: ResultMessage): Promise<void> {
    if (payload.replyTo) await publishResult(this.deps.publisher, payload.replyTo, message);
  }
}
