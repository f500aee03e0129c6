import type { Response } from 'express';
import {
  AppError,
  ConflictError,
  ValidationError,
  isTruncated,
  type JobPayload,
  type ProcessRecord,
  type ScenarioVariables,
  type WebRequest,
} from '@webrequests/contracts';
import type { Config } from '@webrequests/config';
import type { ResultChannel } from '@webrequests/queue';
import { newId, type Store } from '@webrequests/store';
import { describedRequestVariables, type DescribedRequest } from './described-request';
import { fromProcessError } from './error-handler';
import { storeCall, type ProcessIntake } from './process-intake';
import type { ResultWaiter } from './result-waiter';

/** A request a test run describes (`POST /webrequests/{id}/test`), and the draft source to run instead of the scenario's. */
export interface TestRequest extends DescribedRequest {
  source?: string;
}

/** What a caller of the endpoint would have got, and the record of the run. */
export interface TestAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body as UTF-8 text, or base64 when `bodyEncoding` says so (bytes that are not UTF-8). */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  process: ProcessRecord | null;
}

/** What {@link ProcessRuns} is built from. */
export interface ProcessRunsDeps {
  config: Config;
  store: Store;
  results: ResultChannel;
  intake: ProcessIntake;
  waiter: ResultWaiter;
  checkSyntax: (source: string) => string | null;
}

/**
 * Header names in lower case, as the caller's HTTP client reports them: a scenario's `$headers` keep
 * the case it wrote (`Content-Type`), error answers are lower case, and a reader of `headers` must find
 * `content-type` either way.
 */
function lowerCaseNames(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const lowered: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) Object.defineProperty(lowered, name.toLowerCase(), { value, enumerable: true, writable: true, configurable: true });
  return lowered;
}

/** Text when the bytes are UTF-8, else base64. */
function encodeBody(bytes: Buffer): Pick<TestAnswer, 'body' | 'bodyEncoding'> {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { body: text, bodyEncoding: 'utf8' } : { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}

/**
 * Processes an operator starts (SPEC §5): a replay of a recorded process, asynchronous, with the
 * variables it was recorded with; and a test run of an endpoint on a described request, through the
 * same queue and sandbox as a real one, answered with what its caller would get. Neither goes through
 * the endpoint's protection (the operator is authenticated already); both read its secrets.
 */
export class ProcessRuns {
  constructor(private readonly deps: ProcessRunsDeps) {}

  async replay(original: ProcessRecord): Promise<ProcessRecord> {
    const { config, store, intake } = this.deps;
    if (isTruncated(original.input)) throw new ConflictError('this process cannot be replayed: its input was larger than PROCESS_RESULT_LIMIT and was not recorded whole');
    const endpoint = await storeCall(() => store.getWebRequest(original.webrequestId));
    const variables = original.input as ScenarioVariables;
    const payload: JobPayload = {
      processId: newId(),
      requestId: newId(),
      webrequestId: original.webrequestId,
      urlId: endpoint?.urlId ?? '(replay)',
      scriptId: original.scriptId,
      async: true,
      deadline: Date.now() + config.limits.asyncTimeoutMs,
      replyTo: null,
      variables,
      ...(endpoint?.secrets?.length ? { secretNames: endpoint.secrets } : {}),
    };
    await intake.accept(payload, variables, { replayOf: original.id, ...(original.test ? { test: true } : {}) });
    return (await storeCall(() => store.getProcess(payload.processId)))!;
  }

  async test(endpoint: WebRequest, request: TestRequest, res: Response): Promise<TestAnswer> {
    const { config, store, results, intake, waiter, checkSyntax } = this.deps;
    if (request.source !== undefined) {
      const problem = checkSyntax(request.source);
      if (problem) throw new ValidationError(`source: ${problem}`, 'source');
    }
    const variables = await describedRequestVariables(request, endpoint, config.http);
    const payload: JobPayload = {
      processId: newId(),
      requestId: newId(),
      webrequestId: endpoint.id,
      urlId: endpoint.urlId,
      scriptId: endpoint.scriptId,
      async: false,
      deadline: Date.now() + Math.min(endpoint.timeoutMs ?? Infinity, config.limits.syncTimeoutMs),
      replyTo: results.name,
      variables,
      ...(endpoint.secrets?.length ? { secretNames: endpoint.secrets } : {}),
      ...(request.source !== undefined ? { source: request.source } : {}),
    };
    const waiting = results.expect(payload.processId);
    try {
      await intake.accept(payload, variables, { test: true });
    } catch (error) {
      waiting.cancel();
      throw error;
    }
    let answer: Omit<TestAnswer, 'process'>;
    try {
      const message = await waiter.answerOf(payload, waiting, res);
      if (message === 'gone') return { status: 499, headers: {}, body: '', bodyEncoding: 'utf8', process: null };
      answer =
        message.kind === 'response'
          ? { status: message.response.status, headers: message.response.headers, ...encodeBody(Buffer.from(message.response.bodyBase64 ?? '', 'base64')) }
          : errorAnswer(fromProcessError(message.error), payload.processId);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      answer = errorAnswer(error, payload.processId);
    }
    return { ...answer, headers: lowerCaseNames(answer.headers), process: await storeCall(() => store.getProcess(payload.processId)) };
  }
}

/** The answer the error handler would write for `error`. */
function errorAnswer(error: AppError, processId: string): Omit<TestAnswer, 'process'> {
  const body = JSON.stringify({ error: { code: error.code, message: error.message, processId, ...error.details } });
  return { status: error.status, headers: { ...error.headers, 'content-type': 'application/json; charset=utf-8' }, body, bodyEncoding: 'utf8' };
}
