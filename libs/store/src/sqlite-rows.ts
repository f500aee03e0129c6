import type {
  EndpointProtection,
  ProcessRecord,
  ProcessStatus,
  Scenario,
  SealedSecret,
  SecretInfo,
  WebRequest,
  WebRequestStatus,
} from '@webrequests/contracts';
import { isoTime } from './iso-time';
import type { NewProcess } from './store';

/** A `scenarios` row. */
export interface ScenarioRow {
  id: string;
  name: string;
  description: string;
  source: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A `webrequests` row; `corsOrigins` is JSON or NULL when the endpoint names none, `protection` a JSON
 * object of the protection fields it sets or NULL when it sets none.
 */
export interface WebRequestRow {
  id: string;
  name: string;
  description: string;
  urlId: string;
  scriptId: string;
  status: WebRequestStatus;
  corsOrigins: string | null;
  protection: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A `processes` row; `input`, `output`, `error` and `logs` are JSON. */
export interface ProcessRow {
  id: string;
  webrequestId: string;
  scriptId: string;
  async: 0 | 1;
  status: ProcessStatus;
  requestId: string;
  input: string | null;
  output: string | null;
  error: string | null;
  logs: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  attempts: number;
  worker: string | null;
  replayOf: string | null;
  test: 0 | 1;
}

/** A `secrets` row. */
export interface SecretRow extends SealedSecret, SecretInfo {}

/** JSON text for a column; `undefined` (which JSON cannot hold) is stored as NULL. */
export function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function fromJson<T>(text: string | null, empty: T): T {
  return text === null ? empty : (JSON.parse(text) as T);
}

/** The record a `scenarios` row holds. */
export function toScenario(row: ScenarioRow): Scenario {
  const { id, name, description, source, createdAt, updatedAt } = row;
  return { id, name, description, source, createdAt, updatedAt };
}

/** The protection fields a `webrequests` row holds. */
export function protectionOfRow(row: WebRequestRow): EndpointProtection {
  return fromJson<EndpointProtection>(row.protection, {});
}

/** The `protection` column of an endpoint with these fields. */
export function protectionColumn(protection: EndpointProtection): string | null {
  return Object.keys(protection).length > 0 ? JSON.stringify(protection) : null;
}

/**
 * The record a `webrequests` row holds; `corsOrigins` and the protection fields are present only when
 * the endpoint set them.
 */
export function toWebRequest(row: WebRequestRow): WebRequest {
  const { id, name, description, urlId, scriptId, status, createdAt, updatedAt } = row;
  const record: WebRequest = { id, name, description, urlId, scriptId, status, createdAt, updatedAt, ...protectionOfRow(row) };
  if (row.corsOrigins !== null) record.corsOrigins = fromJson<string[]>(row.corsOrigins, []);
  return record;
}

/** The record a `processes` row holds. */
export function toProcess(row: ProcessRow): ProcessRecord {
  return {
    id: row.id,
    webrequestId: row.webrequestId,
    scriptId: row.scriptId,
    async: row.async === 1,
    status: row.status,
    requestId: row.requestId,
    input: fromJson<unknown>(row.input, null),
    output: fromJson<unknown>(row.output, null),
    error: fromJson<ProcessRecord['error']>(row.error, null),
    logs: fromJson<ProcessRecord['logs']>(row.logs, []),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs,
    attempts: row.attempts,
    worker: row.worker,
    replayOf: row.replayOf,
    test: row.test === 1,
  };
}

/** The row of a just-accepted process: `queued`, with no results yet. */
export function queuedProcessRow(process: NewProcess): ProcessRow {
  return {
    id: process.id,
    webrequestId: process.webrequestId,
    scriptId: process.scriptId,
    async: process.async ? 1 : 0,
    status: 'queued',
    requestId: process.requestId,
    input: toJson(process.input),
    output: null,
    error: null,
    logs: '[]',
    createdAt: isoTime(process.createdAt, 'createdAt'),
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    attempts: 0,
    worker: null,
    replayOf: process.replayOf ?? null,
    test: process.test ? 1 : 0,
  };
}
