import { UnrecoverableError, type Job } from 'bullmq';
import {
  FINAL_STATUSES,
  ScenarioFailedError,
  answerOfRecord,
  capJson,
  capLogs,
  jobVariables,
  toResponseSpec,
  type JobPayload,
  type ProcessError,
  type ResultMessage,
  type SandboxOutcome,
} from '@webrequests/contracts';
import type { Logger } from '@webrequests/logger';
import type { SecretCache } from '@webrequests/protection';
import { publishResult, type EndpointLimits, type RedisClient } from '@webrequests/queue';
import type { Sandbox } from '@webrequests/sandbox';
import type { ProcessFinish, ProcessStart, Store } from '@webrequests/store';
import type { ScenarioCache } from './scenario-cache';
import { maskedError, maskedLogs, secretMasker } from './secret-masker';

/** What a {@link ProcessRunner} is built from. */
export interface RunnerDeps {
  store: Store;
  sandbox: Sandbox;
  /** Connection used to publish answers to the waiting ingress. */
  publisher: RedisClient;
  logger: Logger;
  /** This worker's name in process records. */
  workerId: string;
  /** Largest output / logs kept in a record (bytes of JSON). */
  resultLimit: number;
  /** Told of every process this worker brings to a final status; default: nobody. */
  metrics?: ProcessMetrics;
  /** Values of the secrets a run reads; default: none (a run's `secrets` is empty). */
  secrets?: SecretCache;
  /** Frees a process's `maxConcurrent` slot when it ends. */
  limits?: EndpointLimits;
  /** The scenarios, kept in memory by version; default: read from the store for every job. */
  scenarios?: ScenarioCache;
}

/** What a {@link ProcessRunner} reports for metrics. */
export interface ProcessMetrics {
  /** `durationMs` is the scenario's run time, or null when it never ran (deadline passed, scenario gone). */
  processFinished(status: ProcessFinish['status'], durationMs: number | null): void;
}

/** What the job ends with in BullMQ: small on purpose, the record holds the rest. */
export interface JobResult {
  status: ProcessFinish['status'] | 'skipped';
}

/** How a run ended: its status, and the error it failed or was aborted with. */
interface Concluded extends JobResult {
  error: ProcessError | null;
}

/** A binary `$body` is kept in the record as base64, since records are JSON. */
function recordable(output: Record<string, unknown>): Record<string, unknown> {
  const body = output.$body;
  if (!(body instanceof Uint8Array)) return output;
  return { ...output, $body: { type: 'Buffer', base64: Buffer.from(body).toString('base64') } };
}

/** What a caller is told when the worker itself failed to run a process: the store's outage, or its own fault. */
function failureOf(error: unknown): ProcessError {
  // By its code, not instanceof: a store loaded through another copy of contracts throws its own class.
  if ((error as { code?: unknown } | null)?.code === 'unavailable') return { code: 'unavailable', message: 'the store cannot be reached' };
  return { code: 'internal_error', message: 'the worker failed while running the process' };
}

function statusOf(error: ProcessError): ProcessFinish['status'] {
  return error.code === 'timeout' || error.code === 'aborted' ? 'aborted' : 'failed';
}

/** Runs still going after this long are marked `running` in their record (milliseconds). */
const RUNNING_MARK_DELAY_MS = 50;

/** How long an abort order for a process this worker does not run is remembered (milliseconds). */
const ABORT_MEMORY_MS = 10 * 60_000;
/** At most this many remembered abort orders; the oldest are forgotten first. */
const ABORT_MEMORY_SIZE = 10_000;

/**
 * Ends a job whose process did not complete as failed in BullMQ, so the dashboard's failed list is the
 * failed and aborted processes. Unrecoverable: the record is final, a retry would only be skipped.
 */
class ProcessNotCompletedError extends UnrecoverableError {
  constructor(status: ProcessFinish['status'], error: ProcessError) {
    super(`${status}: ${error.code}: ${error.message}`);
    this.name = 'ProcessNotCompletedError';
    // The worker's own stack says nothing about a scenario's failure; the dashboard shows the reason alone.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Runs one process per job: skips it when its deadline passed in the queue, marks it running, runs the
 * scenario in the sandbox, writes the final record and answers the waiting ingress. Holds an abort
 * handle per running process so an operator can stop it.
 */
export class ProcessRunner {
  private readonly running = new Map<string, AbortController>();
  /** Abort orders for processes not running here (yet): process id → when the order is forgotten. */
  private readonly aborted = new Map<string, number>();
  private readonly log: Logger;

  constructor(private readonly deps: RunnerDeps) {
    this.log = deps.logger.child({ module: 'runner' });
  }

  /**
   * Stops the process if this worker runs it; answers whether it did. An order for a process this worker
   * does not run is remembered a while, because the worker may be just taking its job: the order would
   * otherwise slip between the job's start and the run's abort handle.
   */
  abort(processId: string): boolean {
    const controller = this.running.get(processId);
    if (controller) {
      controller.abort();
      return true;
    }
    this.remember(processId);
    return false;
  }

  /**
   * The BullMQ processor. Resolves when the process completed; rejects with an unrecoverable error when
   * it failed or was aborted (the record says why), and when the store or Redis fails, after telling the
   * caller.
   */
  async process(job: Job<JobPayload>): Promise<JobResult> {
    const payload = job.data;
    let concluded: Concluded;
    try {
      concluded = await this.run(payload, job.attemptsStarted);
    } catch (error) {
      this.log.error('process could not be run', { processId: payload.processId, requestId: payload.requestId, error: String(error) });
      await this.answer(payload, { kind: 'error', processId: payload.processId, error: failureOf(error) }).catch(() => undefined);
      throw error;
    }
    if (concluded.error) throw new ProcessNotCompletedError(concluded.status as ProcessFinish['status'], concluded.error);
    return { status: concluded.status };
  }

  private async run(payload: JobPayload, attempts: number): Promise<Concluded> {
    const { store } = this.deps;
    if (Date.now() >= payload.deadline) {
      const error: ProcessError = { code: 'timeout', message: 'the deadline passed before a worker took the process' };
      return this.conclude(payload, { kind: 'error', error, logs: [], durationMs: 0 }, null);
    }
    // Both at once: with MongoDB each is a round trip.
    const scenarioRead = this.deps.scenarios ? this.deps.scenarios.scenario(payload.scriptId, payload.scriptVersion) : store.getScenario(payload.scriptId);
    const [state, scenario] = await Promise.all([store.processState(payload.processId), scenarioRead]);
    if (!state) {
      // Deleted (through the admin API) while it waited, or pruned: nothing may run with no record of it.
      this.log.info('process skipped: its record is gone', { processId: payload.processId });
      const error: ProcessError = { code: 'aborted', message: 'the process was deleted before it started' };
      await this.answer(payload, { kind: 'error', processId: payload.processId, error });
      return { status: 'skipped', error: null };
    }
    if (FINAL_STATUSES.includes(state.status)) {
      // Already ended (a run that finished, then lost its job lock; a job redelivered after a Redis
      // restart): running it again would repeat its side effects for nothing.
      this.log.warn('process skipped: its record is already final', { processId: payload.processId, status: state.status, attempts: state.attempts });
      // The worker that ended it may have died between writing the record and answering: a sync caller
      // still waiting hears the recorded answer, not a 504 at its deadline.
      if (payload.replyTo) await this.answer(payload, await this.recordedAnswer(payload.processId));
      else this.release(payload);
      return { status: 'skipped', error: null };
    }
    if (!scenario && payload.source === undefined) {
      const error: ProcessError = { code: 'scenario_failed', message: `scenario ${payload.scriptId} no longer exists` };
      return this.conclude(payload, { kind: 'error', error, logs: [], durationMs: 0 }, null);
    }
    const startedAt = new Date();
    // Each run counts, whoever counted the last: BullMQ (a takeover) or the record (a run whose job was lost and added again).
    const start: ProcessStart = { startedAt: startedAt.toISOString(), worker: this.deps.workerId, attempts: Math.max(attempts, state.attempts + 1) };
    if (this.aborted.delete(payload.processId)) {
      // An operator deleted it while it waited: it never runs, and the waiting caller is told.
      this.log.info('process skipped: deleted before it started', { processId: payload.processId });
      const error: ProcessError = { code: 'aborted', message: 'the process was deleted before it started' };
      await this.answer(payload, { kind: 'error', processId: payload.processId, error });
      return { status: 'skipped', error: null };
    }
    let secrets: Record<string, string>;
    try {
      secrets = await this.secretsOf(payload);
    } catch (error) {
      this.log.error('the secrets of a run could not be read', { processId: payload.processId, error: String(error) });
      return this.conclude(payload, { kind: 'error', error: { code: 'internal_error', message: 'the secrets this endpoint lists could not be read' }, logs: [], durationMs: 0 }, null);
    }
    const controller = new AbortController();
    this.running.set(payload.processId, controller);
    // Marking `running` is a store write on every process; most runs end long before anyone could read
    // the mark, so only runs still going after RUNNING_MARK_DELAY_MS get it, and the others record their
    // start with the final status in one write.
    const mark = setTimeout(() => {
      store.startProcess(payload.processId, start).catch((error: unknown) => this.log.warn('marking running failed', { processId: payload.processId, error: String(error) }));
    }, RUNNING_MARK_DELAY_MS);
    try {
      // A test run's draft is compiled under its own key, so it never stands in for the saved source.
      const draft = payload.source !== undefined ? { scriptId: `draft:${payload.processId}`, scriptVersion: '', source: payload.source } : null;
      const outcome = await this.deps.sandbox.run({
        ...(draft ?? { scriptId: scenario!.id, scriptVersion: scenario!.updatedAt, source: scenario!.source }),
        variables: { ...jobVariables(payload), secrets },
        deadline: payload.deadline,
        signal: controller.signal,
      });
      clearTimeout(mark);
      return await this.conclude(payload, outcome, start, secretMasker(secrets));
    } finally {
      clearTimeout(mark);
      this.running.delete(payload.processId);
    }
  }

  /**
   * Validates the output into a response, writes the final record, then answers the caller; `mask`
   * hides the run's secret values in its error and logs.
   */
  private async conclude(payload: JobPayload, outcome: SandboxOutcome, start: ProcessStart | null, mask = (text: string): string => text): Promise<Concluded> {
    const { processId } = payload;
    let message: ResultMessage;
    let finish: Omit<ProcessFinish, 'finishedAt' | 'durationMs'>;
    const cappedLogs = capLogs(maskedLogs(outcome.logs, mask), this.deps.resultLimit);
    try {
      if (outcome.kind === 'error') throw outcome.error;
      const response = toResponseSpec(outcome.output);
      message = { kind: 'response', processId, response };
      finish = { status: 'completed', output: capJson(recordable(outcome.output), this.deps.resultLimit), error: null, logs: cappedLogs };
    } catch (thrown) {
      const failure: ProcessError =
        thrown instanceof ScenarioFailedError ? { code: thrown.code, message: thrown.message } : (thrown as ProcessError);
      const error = maskedError(failure, mask);
      message = { kind: 'error', processId, error };
      finish = { status: statusOf(error), output: null, error, logs: cappedLogs };
    }
    const finishedAt = new Date();
    const durationMs = start ? finishedAt.getTime() - Date.parse(start.startedAt) : null;
    const written = await this.deps.store.finishProcess(processId, { ...finish, finishedAt: finishedAt.toISOString(), durationMs, ...(start ? { start } : {}) });
    // Not written: the record was deleted or had ended elsewhere (a takeover); it is not this run's to count.
    if (written) this.deps.metrics?.processFinished(finish.status, start ? outcome.durationMs : null);
    // Counted before the caller hears the answer: a scrape right after it sees this process.
    await this.answer(payload, message);
    const failure = finish.error ? { errorCode: finish.error.code, error: finish.error.message } : {};
    this.log.info('process finished', { processId, requestId: payload.requestId, urlId: payload.urlId, status: finish.status, durationMs, ...failure });
    return { status: finish.status, error: finish.error };
  }

  /** The values of the secrets the run's endpoint lists; a name the store does not hold is absent (and logged). */
  private async secretsOf(payload: JobPayload): Promise<Record<string, string>> {
    const names = payload.secretNames ?? [];
    if (names.length === 0 || !this.deps.secrets) return {};
    const values = await this.deps.secrets.values(names);
    const missing = names.filter((name) => !(name in values));
    if (missing.length > 0) this.log.warn('secrets the endpoint lists are not set', { processId: payload.processId, missing });
    return values;
  }

  private remember(processId: string): void {
    const now = Date.now();
    for (const [id, forgetAt] of this.aborted) {
      if (forgetAt > now && this.aborted.size < ABORT_MEMORY_SIZE) break;
      this.aborted.delete(id); // Insertion order is age order: the oldest go first.
    }
    this.aborted.set(processId, now + ABORT_MEMORY_MS);
  }

  /** The answer a final record gave; when its output was too large to keep whole, that it was lost. */
  private async recordedAnswer(processId: string): Promise<ResultMessage> {
    const record = await this.deps.store.getProcess(processId);
    const answer = record ? answerOfRecord(record) : null;
    if (answer) return answer;
    const error: ProcessError = {
      code: 'worker_lost',
      message: 'the worker that ran this process died before answering, and its output was larger than PROCESS_RESULT_LIMIT, so the record does not hold it whole',
    };
    return { kind: 'error', processId, error };
  }

  /** Frees the process's `maxConcurrent` slot; a failure only delays that until the slot's lease runs out. */
  private release(payload: JobPayload): void {
    if (!payload.leased || !this.deps.limits) return;
    this.deps.limits.release(payload.webrequestId, payload.processId).catch((error: unknown) =>
      this.log.warn('could not free a maxConcurrent slot; it frees itself when its lease runs out', { processId: payload.processId, error: String(error) }),
    );
  }

  /** Ends the process for its caller: frees its slot, then answers (every run that ends comes here, but a job skipped for a final record). */
  private async answer(payload: JobPayload, message: ResultMessage): Promise<void> {
    // Not awaited, but sent first on the connection that publishes: Redis frees the slot before the
    // caller can hear the answer, so a caller that sends again at once is not refused for its own slot.
    this.release(payload);
    // A large answer goes into a key that lives a little past the caller's deadline (see publishResult).
    if (payload.replyTo) await publishResult(this.deps.publisher, payload.replyTo, message, { deadline: payload.deadline });
  }
}
