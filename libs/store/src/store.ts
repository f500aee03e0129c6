import type {
  EndpointProtection,
  LogEntry,
  SealedSecret,
  SecretInfo,
  ProcessError,
  ProcessRecord,
  ProcessStatus,
  Scenario,
  WebRequest,
  WebRequestStatus,
} from '@webrequests/contracts';

/** One page of a list, newest first; pass `nextCursor` back as `cursor` for the next page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size, 1..500; default 50. */
  limit?: number;
}

export interface ScenarioInput {
  name: string;
  description?: string;
  source: string;
}

/** Each field of `T` may also be null: in an update, null removes the field (undefined leaves it). */
export type Clearable<T> = { [K in keyof T]?: T[K] | null };

export interface WebRequestInput extends Clearable<EndpointProtection> {
  name: string;
  description?: string;
  urlId: string;
  scriptId: string;
  status?: WebRequestStatus;
  corsOrigins?: string[];
}

export interface ProcessFilter extends PageRequest {
  status?: ProcessStatus;
  webrequestId?: string;
  scriptId?: string;
  async?: boolean;
  /** ISO time: only records created at or after it. */
  createdFrom?: string;
  /** ISO time: only records created before it. */
  createdTo?: string;
  /** true: only test runs; false or absent: only the others (tests are listed only when asked for). */
  test?: boolean;
  /** Only the replays of this process. */
  replayOf?: string;
}

/** What the ingress knows when it accepts a request: the record starts `queued`. */
export interface NewProcess {
  id: string;
  webrequestId: string;
  scriptId: string;
  async: boolean;
  requestId: string;
  input: unknown;
  createdAt: string;
  /** The process this one replays. */
  replayOf?: string;
  /** A test run (`POST /webrequests/{id}/test`). */
  test?: boolean;
}

/** Where a process stands: enough to tell whether it may run, and how often it ran. */
export interface ProcessState {
  status: ProcessStatus;
  attempts: number;
}

export interface ProcessStart {
  startedAt: string;
  worker: string;
  attempts: number;
}

export interface ProcessFinish {
  status: Extract<ProcessStatus, 'completed' | 'failed' | 'aborted'>;
  output: unknown;
  error: ProcessError | null;
  logs: LogEntry[];
  finishedAt: string;
  durationMs: number | null;
  /**
   * The start, when the record was never marked `running` (a run short enough that the worker skipped
   * that write): the finish records `startedAt`, `worker` and `attempts` in the same write.
   */
  start?: ProcessStart;
}

/** The final record of a process that ended with `error` without a run of its own (lost job, lost worker). */
export function failedWithoutRun(error: ProcessError): ProcessFinish {
  return { status: 'failed', output: null, error, logs: [], finishedAt: new Date().toISOString(), durationMs: null };
}

/**
 * The catalogs (scenarios, endpoints) and the process records, behind one interface with two
 * implementations (SQLite for one host, MongoDB for many) that pass one contract suite.
 *
 * Errors: a duplicate `urlId` or deleting a scenario that endpoints use throws `ConflictError`; an
 * endpoint naming an unknown scenario throws `ValidationError` on `scriptId`; a lost connection throws
 * `UnavailableError`. Reads of unknown ids answer `null`, deletes of unknown ids `false`.
 *
 * Lists are newest first (by id: ids are UUID v7). A `cursor` the store did not give out, a `limit` that
 * is not a positive integer (above 500 is cut to 500) or a time filter that is not an ISO time throws
 * `ValidationError` naming it. Times are stored and answered as canonical UTC ISO text.
 */
export interface Store {
  createScenario(input: ScenarioInput): Promise<Scenario>;
  getScenario(id: string): Promise<Scenario | null>;
  listScenarios(page?: PageRequest): Promise<Page<Scenario>>;
  updateScenario(id: string, patch: Partial<ScenarioInput>): Promise<Scenario | null>;
  deleteScenario(id: string): Promise<boolean>;

  createWebRequest(input: WebRequestInput): Promise<WebRequest>;
  getWebRequest(id: string): Promise<WebRequest | null>;
  /** The endpoint for a public URL identifier, whatever its status. */
  getWebRequestByUrlId(urlId: string): Promise<WebRequest | null>;
  listWebRequests(page?: PageRequest): Promise<Page<WebRequest>>;
  updateWebRequest(id: string, patch: Partial<WebRequestInput>): Promise<WebRequest | null>;
  deleteWebRequest(id: string): Promise<boolean>;

  /** Records a just-accepted process as `queued`; an id already recorded throws `ConflictError`. */
  createProcess(process: NewProcess): Promise<void>;
  /** Moves a process that is not final to `running`; false when it is already final or unknown. */
  startProcess(id: string, start: ProcessStart): Promise<boolean>;
  /** Gives a process its final status; false (and no change) when it is already final or unknown. */
  finishProcess(id: string, finish: ProcessFinish): Promise<boolean>;
  getProcess(id: string): Promise<ProcessRecord | null>;
  /** A record's status and attempts alone (what a worker checks before it runs one); null when unknown. */
  processState(id: string): Promise<ProcessState | null>;
  listProcesses(filter?: ProcessFilter): Promise<Page<ProcessRecord>>;
  deleteProcess(id: string): Promise<boolean>;
  /** Deletes records created before `before`; answers how many. */
  pruneProcesses(before: Date): Promise<number>;

  /**
   * Creates or replaces a secret's sealed value; answers what the admin API shows of it, and whether it
   * is new. A replacement keeps `createdAt` and moves `updatedAt`.
   */
  putSecret(sealed: SealedSecret): Promise<{ secret: SecretInfo; created: boolean }>;
  /** Re-seals a secret under another key (rotation): its times stay; false when it is unknown. */
  resealSecret(sealed: SealedSecret): Promise<boolean>;
  /** Secrets by name, ascending; the cursor is opaque like every other. */
  listSecrets(page?: PageRequest): Promise<Page<SecretInfo>>;
  /** The sealed values of the named secrets that exist (every secret when `names` is absent), any order. */
  getSealedSecrets(names?: readonly string[]): Promise<SealedSecret[]>;
  deleteSecret(name: string): Promise<boolean>;

  /** Resolves when the store answers; throws `UnavailableError` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
