import {
  ConflictError,
  UnavailableError,
  ValidationError,
  type ProcessRecord,
  type Scenario,
  type SealedSecret,
  type SecretInfo,
  type WebRequest,
} from '@webrequests/contracts';
import type Database from 'better-sqlite3';
import { isoTime, nowIso } from './iso-time';
import { newId } from './new-id';
import { DEFAULT_BUSY_TIMEOUT_MS, openSqliteDatabase } from './open-sqlite-database';
import { BY_ID, BY_NAME, decodeCursor, pageSize, toPage, type CursorKey } from './paging';
import { patchedProtection, protectionOf } from './protection-fields';
import { SqliteProcessQueries, type ProcessListParams } from './sqlite-process-queries';
import { isLockWait, lockWaitDelayMs, toStoreError } from './sqlite-errors';
import { WriteBatcher } from './write-batcher';
import {
  protectionColumn,
  protectionOfRow,
  queuedProcessRow,
  toJson,
  toProcess,
  toScenario,
  toWebRequest,
  type ScenarioRow,
  type WebRequestRow,
} from './sqlite-rows';
import { prepareStatements, type ListStatements, type SqliteStatements } from './sqlite-statements';
import type {
  NewProcess,
  Page,
  PageRequest,
  ProcessFilter,
  ProcessFinish,
  ProcessStart,
  ProcessState,
  ScenarioInput,
  Store,
  WebRequestInput,
} from './store';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * How long a call waits, in all, for another process's lock before it fails with `UnavailableError`
   * (milliseconds; default 15000). It waits in short slices with the event loop free in between.
   */
  busyTimeoutMs?: number;
}

// Pruning deletes in slices so that other processes' writes get the lock in between.
const PRUNE_BATCH_SIZE = 500;

/**
 * The {@link Store} over one SQLite file (better-sqlite3): the zero-setup store for one host. Several
 * processes (an ingress and workers) may open the same file at once. Every read-then-write step runs in
 * an IMMEDIATE transaction: a deferred one that later upgrades to a write can fail with SQLITE_BUSY at
 * once, whatever the busy timeout, when another process wrote in between.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly sql: SqliteStatements;
  private readonly processQueries: SqliteProcessQueries;
  private readonly writes: WriteBatcher;
  private readonly busyTimeoutMs: number;

  /**
   * Opens `filename` (`:memory:` for a private in-memory database), creating the file and schema when
   * missing. Throws `UnavailableError` when the file cannot be opened.
   */
  constructor(filename: string, options: SqliteStoreOptions = {}) {
    this.db = openSqliteDatabase(filename, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    this.sql = prepareStatements(this.db);
    this.processQueries = new SqliteProcessQueries(this.db);
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.writes = new WriteBatcher((batch) => this.immediate(batch), toStoreError, isLockWait, this.busyTimeoutMs, lockWaitDelayMs);
  }

  async createScenario(input: ScenarioInput): Promise<Scenario> {
    return this.waiting(() => {
      const now = nowIso();
      const row: ScenarioRow = {
        id: newId(),
        name: input.name,
        description: input.description ?? '',
        source: input.source,
        createdAt: now,
        updatedAt: now,
      };
      this.sql.insertScenario.run(row);
      return toScenario(row);
    });
  }

  async getScenario(id: string): Promise<Scenario | null> {
    return this.waiting(() => {
      const row = this.sql.getScenario.get(id);
      return row ? toScenario(row) : null;
    });
  }

  async listScenarios(page: PageRequest = {}): Promise<Page<Scenario>> {
    return this.waiting(() => this.listTable(this.sql.listScenarios, page, toScenario, BY_ID));
  }

  async updateScenario(id: string, patch: Partial<ScenarioInput>): Promise<Scenario | null> {
    return this.waiting(() =>
      this.immediate(() => {
        const current = this.sql.getScenario.get(id);
        if (!current) return null;
        const row: ScenarioRow = {
          ...current,
          name: patch.name ?? current.name,
          description: patch.description ?? current.description,
          source: patch.source ?? current.source,
          updatedAt: nowIso(),
        };
        this.sql.updateScenario.run(row);
        return toScenario(row);
      }),
    );
  }

  async deleteScenario(id: string): Promise<boolean> {
    return this.waiting(() =>
      this.immediate(() => {
        const user = this.sql.scenarioInUse.get(id);
        if (user) throw new ConflictError(`scenario ${id} is used by endpoint ${user.id}`);
        return this.sql.deleteScenario.run(id).changes > 0;
      }),
    );
  }

  async createWebRequest(input: WebRequestInput): Promise<WebRequest> {
    return this.waiting(() =>
      this.immediate(() => {
        this.requireScenario(input.scriptId);
        this.requireFreeUrlId(input.urlId, null);
        const now = nowIso();
        const row: WebRequestRow = {
          id: newId(),
          name: input.name,
          description: input.description ?? '',
          urlId: input.urlId,
          scriptId: input.scriptId,
          status: input.status ?? 'active',
          corsOrigins: toJson(input.corsOrigins),
          protection: protectionColumn(protectionOf(input)),
          createdAt: now,
          updatedAt: now,
        };
        this.sql.insertWebRequest.run(row);
        return toWebRequest(row);
      }),
    );
  }

  async getWebRequest(id: string): Promise<WebRequest | null> {
    return this.waiting(() => {
      const row = this.sql.getWebRequest.get(id);
      return row ? toWebRequest(row) : null;
    });
  }

  async getWebRequestByUrlId(urlId: string): Promise<WebRequest | null> {
    return this.waiting(() => {
      const row = this.sql.getWebRequestByUrlId.get(urlId);
      return row ? toWebRequest(row) : null;
    });
  }

  async listWebRequests(page: PageRequest = {}): Promise<Page<WebRequest>> {
    return this.waiting(() => this.listTable(this.sql.listWebRequests, page, toWebRequest, BY_ID));
  }

  async updateWebRequest(id: string, patch: Partial<WebRequestInput>): Promise<WebRequest | null> {
    return this.waiting(() =>
      this.immediate(() => {
        const current = this.sql.getWebRequest.get(id);
        if (!current) return null;
        if (patch.scriptId !== undefined) this.requireScenario(patch.scriptId);
        if (patch.urlId !== undefined) this.requireFreeUrlId(patch.urlId, id);
        const row: WebRequestRow = {
          ...current,
          name: patch.name ?? current.name,
          description: patch.description ?? current.description,
          urlId: patch.urlId ?? current.urlId,
          scriptId: patch.scriptId ?? current.scriptId,
          status: patch.status ?? current.status,
          corsOrigins: patch.corsOrigins !== undefined ? toJson(patch.corsOrigins) : current.corsOrigins,
          protection: protectionColumn(patchedProtection(protectionOfRow(current), patch)),
          updatedAt: nowIso(),
        };
        this.sql.updateWebRequest.run(row);
        return toWebRequest(row);
      }),
    );
  }

  async deleteWebRequest(id: string): Promise<boolean> {
    return this.waiting(() => this.sql.deleteWebRequest.run(id).changes > 0);
  }

  async createProcess(process: NewProcess): Promise<void> {
    const row = queuedProcessRow(process);
    await this.batched(() => this.sql.insertProcess.run(row));
  }

  async startProcess(id: string, start: ProcessStart): Promise<boolean> {
    const startedAt = isoTime(start.startedAt, 'startedAt');
    return this.batched(() => {
      return this.sql.startProcess.run({ id, startedAt, worker: start.worker, attempts: start.attempts }).changes > 0;
    });
  }

  async finishProcess(id: string, finish: ProcessFinish): Promise<boolean> {
    const finishedAt = isoTime(finish.finishedAt, 'finishedAt');
    const startedAt = finish.start ? isoTime(finish.start.startedAt, 'startedAt') : null;
    return this.batched(() => {
      const result = this.sql.finishProcess.run({
        id,
        status: finish.status,
        output: toJson(finish.output),
        error: toJson(finish.error),
        logs: JSON.stringify(finish.logs),
        finishedAt,
        durationMs: finish.durationMs,
        startedAt,
        worker: finish.start?.worker ?? null,
        attempts: finish.start?.attempts ?? null,
      });
      return result.changes > 0;
    });
  }

  async getProcess(id: string): Promise<ProcessRecord | null> {
    return this.waiting(() => {
      const row = this.sql.getProcess.get(id);
      return row ? toProcess(row) : null;
    });
  }

  async processState(id: string): Promise<ProcessState | null> {
    return this.waiting(() => {
      const row = this.sql.processState.get(id);
      return row ? { status: row.status, attempts: row.attempts } : null;
    });
  }

  async listProcesses(filter: ProcessFilter = {}): Promise<Page<ProcessRecord>> {
    return this.waiting(() => {
      const size = pageSize(filter.limit);
      const params: ProcessListParams = {
        status: filter.status,
        webrequestId: filter.webrequestId,
        scriptId: filter.scriptId,
        async: filter.async === undefined ? undefined : Number(filter.async),
        createdFrom: filter.createdFrom === undefined ? undefined : isoTime(filter.createdFrom, 'createdFrom'),
        createdTo: filter.createdTo === undefined ? undefined : isoTime(filter.createdTo, 'createdTo'),
        replayOf: filter.replayOf,
        ...(filter.test === true ? { tests: 1 } : { noTests: 0 }),
        cursor: decodeCursor(filter.cursor, BY_ID),
        limit: size + 1,
      };
      return toPage(this.processQueries.list(params), size, toProcess, BY_ID);
    });
  }

  async deleteProcess(id: string): Promise<boolean> {
    return this.waiting(() => this.sql.deleteProcess.run(id).changes > 0);
  }

  async pruneProcesses(before: Date): Promise<number> {
    if (Number.isNaN(before.getTime())) throw new ValidationError('before must be a valid date', 'before');
    const cutoff = before.toISOString();
    let total = 0;
    for (;;) {
      const deleted = await this.waiting(() => this.sql.pruneBatch.run(cutoff, PRUNE_BATCH_SIZE).changes);
      total += deleted;
      if (deleted < PRUNE_BATCH_SIZE) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async putSecret(sealed: SealedSecret): Promise<{ secret: SecretInfo; created: boolean }> {
    return this.waiting(() =>
      this.immediate(() => {
        const now = nowIso();
        const current = this.sql.getSecret.get(sealed.name);
        if (current) {
          this.sql.resealSecret.run({ ...sealed, updatedAt: now });
          return { secret: { ...current, updatedAt: now }, created: false };
        }
        this.sql.insertSecret.run({ ...sealed, createdAt: now, updatedAt: now });
        return { secret: { name: sealed.name, createdAt: now, updatedAt: now }, created: true };
      }),
    );
  }

  async resealSecret(sealed: SealedSecret): Promise<boolean> {
    return this.waiting(() => this.sql.resealSecret.run({ ...sealed, updatedAt: null }).changes > 0);
  }

  async listSecrets(page: PageRequest = {}): Promise<Page<SecretInfo>> {
    return this.waiting(() => this.listTable(this.sql.listSecrets, page, (row: SecretInfo) => row, BY_NAME));
  }

  async getSealedSecrets(names?: readonly string[]): Promise<SealedSecret[]> {
    return this.waiting(() =>
      names === undefined ? this.sql.allSealedSecrets.all() : this.sql.namedSealedSecrets.all(JSON.stringify(names)),
    );
  }

  async deleteSecret(name: string): Promise<boolean> {
    return this.waiting(() => this.sql.deleteSecret.run(name).changes > 0);
  }

  async ping(): Promise<void> {
    // A health check answers now: a lock held elsewhere is not this process failing.
    this.guard(() => this.sql.ping.get());
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.writes.flush();
    this.db.close();
  }

  /** Runs one step against the open database, with SQLite's failures mapped to the contract's errors. */
  private guard<T>(work: () => T): T {
    if (!this.db.open) throw new UnavailableError('the SQLite store is closed');
    try {
      return work();
    } catch (err) {
      throw toStoreError(err);
    }
  }

  /**
   * {@link guard}, waiting out another process's lock: each try blocks for a short slice at most
   * (BUSY_SLICE_MS), and between tries the event loop is free, until `busyTimeoutMs` passed.
   */
  private async waiting<T>(work: () => T): Promise<T> {
    const since = Date.now();
    for (let attempt = 0; ; attempt++) {
      if (!this.db.open) throw new UnavailableError('the SQLite store is closed');
      try {
        return work();
      } catch (err) {
        if (!isLockWait(err) || Date.now() - since >= this.busyTimeoutMs) throw toStoreError(err);
      }
      await new Promise((resolve) => setTimeout(resolve, lockWaitDelayMs(attempt)));
    }
  }

  /** A process-record write on the hot path: batched with the others of this event-loop turn. */
  private batched<T>(work: () => T): Promise<T> {
    if (!this.db.open) return Promise.reject(new UnavailableError('the SQLite store is closed'));
    return this.writes.write(work);
  }

  private immediate<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private listTable<R, T>(statements: ListStatements<R>, page: PageRequest, map: (row: R) => T, key: CursorKey<R>): Page<T> {
    const size = pageSize(page.limit);
    const after = decodeCursor(page.cursor, key);
    const rows = after === undefined ? statements.first.all(size + 1) : statements.after.all(after, size + 1);
    return toPage(rows, size, map, key);
  }

  private requireScenario(scriptId: string): void {
    if (!this.sql.getScenario.get(scriptId)) {
      throw new ValidationError(`scriptId ${scriptId} names no scenario`, 'scriptId');
    }
  }

  private requireFreeUrlId(urlId: string, ownerId: string | null): void {
    const holder = this.sql.getWebRequestByUrlId.get(urlId);
    if (holder && holder.id !== ownerId) {
      throw new ConflictError(`urlId '${urlId}' is already used by endpoint ${holder.id}`);
    }
  }
}
