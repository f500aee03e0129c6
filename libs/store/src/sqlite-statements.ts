import type Database from 'better-sqlite3';
import type { ProcessStatus } from '@webrequests/contracts';
import type { SealedSecret, SecretInfo } from '@webrequests/contracts';
import type { ProcessRow, ScenarioRow, SecretRow, WebRequestRow } from './sqlite-rows';

/** What `startProcess` writes. */
export interface StartParams {
  id: string;
  startedAt: string;
  worker: string;
  attempts: number;
}

/** What `finishProcess` writes, JSON columns already serialised. */
export interface FinishParams {
  id: string;
  status: string;
  output: string | null;
  error: string | null;
  logs: string;
  finishedAt: string;
  durationMs: number | null;
  startedAt: string | null;
  worker: string | null;
  attempts: number | null;
}

type Statement<Params extends unknown[] | object, Row = unknown> = Database.Statement<Params, Row>;

/** The two statements that list a whole table in its order: first page, and pages after a cursor's key. */
export interface ListStatements<Row> {
  first: Statement<[number], Row>;
  after: Statement<[string, number], Row>;
}

interface ScenarioStatements {
  insertScenario: Statement<ScenarioRow>;
  getScenario: Statement<[string], ScenarioRow>;
  listScenarios: ListStatements<ScenarioRow>;
  updateScenario: Statement<ScenarioRow>;
  deleteScenario: Statement<[string]>;
  scenarioInUse: Statement<[string], { id: string }>;
}

interface WebRequestStatements {
  insertWebRequest: Statement<WebRequestRow>;
  getWebRequest: Statement<[string], WebRequestRow>;
  getWebRequestByUrlId: Statement<[string], WebRequestRow>;
  listWebRequests: ListStatements<WebRequestRow>;
  updateWebRequest: Statement<WebRequestRow>;
  deleteWebRequest: Statement<[string]>;
}

interface ProcessStatements {
  insertProcess: Statement<ProcessRow>;
  startProcess: Statement<StartParams>;
  finishProcess: Statement<FinishParams>;
  getProcess: Statement<[string], ProcessRow>;
  processState: Statement<[string], { status: ProcessStatus; attempts: number }>;
  deleteProcess: Statement<[string]>;
  pruneBatch: Statement<[string, number]>;
}

interface SecretStatements {
  getSecret: Statement<[string], SecretInfo>;
  insertSecret: Statement<SecretRow>;
  /** Replaces the sealed parts; `putSecret` moves `updatedAt` with them, `resealSecret` keeps it. */
  resealSecret: Statement<SealedSecret & { updatedAt: string | null }>;
  listSecrets: ListStatements<SecretInfo>;
  allSealedSecrets: Statement<[], SealedSecret>;
  /** The named ones, the names given as one JSON array. */
  namedSealedSecrets: Statement<[string], SealedSecret>;
  deleteSecret: Statement<[string]>;
}

/** The prepared statements of one open database. */
export interface SqliteStatements extends ScenarioStatements, WebRequestStatements, ProcessStatements, SecretStatements {
  ping: Statement<[]>;
}

const NOT_FINAL = `status IN ('queued', 'running')`;

/** Newest-first listing of a whole table: one statement for the first page, one for the pages after. */
function listStatements<Row>(db: Database.Database, table: string): ListStatements<Row> {
  return {
    first: db.prepare<[number], Row>(`SELECT * FROM ${table} ORDER BY id DESC LIMIT ?`),
    after: db.prepare<[string, number], Row>(`SELECT * FROM ${table} WHERE id < ? ORDER BY id DESC LIMIT ?`),
  };
}

function scenarioStatements(db: Database.Database): ScenarioStatements {
  return {
    insertScenario: db.prepare<ScenarioRow>(
      `INSERT INTO scenarios (id, name, description, source, createdAt, updatedAt)
       VALUES (@id, @name, @description, @source, @createdAt, @updatedAt)`,
    ),
    getScenario: db.prepare<[string], ScenarioRow>(`SELECT * FROM scenarios WHERE id = ?`),
    listScenarios: listStatements<ScenarioRow>(db, 'scenarios'),
    updateScenario: db.prepare<ScenarioRow>(
      `UPDATE scenarios SET name = @name, description = @description, source = @source,
       updatedAt = @updatedAt WHERE id = @id`,
    ),
    deleteScenario: db.prepare<[string]>(`DELETE FROM scenarios WHERE id = ?`),
    scenarioInUse: db.prepare<[string], { id: string }>(`SELECT id FROM webrequests WHERE scriptId = ? LIMIT 1`),
  };
}

function webRequestStatements(db: Database.Database): WebRequestStatements {
  return {
    insertWebRequest: db.prepare<WebRequestRow>(
      `INSERT INTO webrequests (id, name, description, urlId, scriptId, status, corsOrigins, protection, createdAt, updatedAt)
       VALUES (@id, @name, @description, @urlId, @scriptId, @status, @corsOrigins, @protection, @createdAt, @updatedAt)`,
    ),
    getWebRequest: db.prepare<[string], WebRequestRow>(`SELECT * FROM webrequests WHERE id = ?`),
    getWebRequestByUrlId: db.prepare<[string], WebRequestRow>(`SELECT * FROM webrequests WHERE urlId = ?`),
    listWebRequests: listStatements<WebRequestRow>(db, 'webrequests'),
    updateWebRequest: db.prepare<WebRequestRow>(
      `UPDATE webrequests SET name = @name, description = @description, urlId = @urlId, scriptId = @scriptId,
       status = @status, corsOrigins = @corsOrigins, protection = @protection, updatedAt = @updatedAt WHERE id = @id`,
    ),
    deleteWebRequest: db.prepare<[string]>(`DELETE FROM webrequests WHERE id = ?`),
  };
}

function processStatements(db: Database.Database): ProcessStatements {
  return {
    insertProcess: db.prepare<ProcessRow>(
      `INSERT INTO processes (id, webrequestId, scriptId, async, status, requestId, input, output, error,
         logs, createdAt, startedAt, finishedAt, durationMs, attempts, worker, replayOf, test)
       VALUES (@id, @webrequestId, @scriptId, @async, @status, @requestId, @input, @output, @error,
         @logs, @createdAt, @startedAt, @finishedAt, @durationMs, @attempts, @worker, @replayOf, @test)`,
    ),
    // The status condition makes "only if not final" one atomic step, whichever process runs it.
    startProcess: db.prepare<StartParams>(
      `UPDATE processes SET status = 'running', startedAt = @startedAt, worker = @worker, attempts = @attempts
       WHERE id = @id AND ${NOT_FINAL}`,
    ),
    finishProcess: db.prepare<FinishParams>(
      `UPDATE processes SET status = @status, output = @output, error = @error, logs = @logs,
       finishedAt = @finishedAt, durationMs = @durationMs, startedAt = COALESCE(@startedAt, startedAt),
       worker = COALESCE(@worker, worker), attempts = COALESCE(@attempts, attempts)
       WHERE id = @id AND ${NOT_FINAL}`,
    ),
    getProcess: db.prepare<[string], ProcessRow>(`SELECT * FROM processes WHERE id = ?`),
    processState: db.prepare<[string], { status: ProcessStatus; attempts: number }>(`SELECT status, attempts FROM processes WHERE id = ?`),
    deleteProcess: db.prepare<[string]>(`DELETE FROM processes WHERE id = ?`),
    pruneBatch: db.prepare<[string, number]>(
      `DELETE FROM processes WHERE id IN (SELECT id FROM processes WHERE createdAt < ? LIMIT ?)`,
    ),
  };
}

// Each read names its columns, so a row is the record as is: a listing never even reads a sealed part.
const SECRET_INFO = 'name, createdAt, updatedAt';
const SEALED_SECRET = 'name, keyId, iv, tag, ciphertext';

function secretStatements(db: Database.Database): SecretStatements {
  return {
    getSecret: db.prepare<[string], SecretInfo>(`SELECT ${SECRET_INFO} FROM secrets WHERE name = ?`),
    insertSecret: db.prepare<SecretRow>(
      `INSERT INTO secrets (name, keyId, iv, tag, ciphertext, createdAt, updatedAt)
       VALUES (@name, @keyId, @iv, @tag, @ciphertext, @createdAt, @updatedAt)`,
    ),
    resealSecret: db.prepare<SealedSecret & { updatedAt: string | null }>(
      `UPDATE secrets SET keyId = @keyId, iv = @iv, tag = @tag, ciphertext = @ciphertext,
       updatedAt = COALESCE(@updatedAt, updatedAt) WHERE name = @name`,
    ),
    listSecrets: {
      first: db.prepare<[number], SecretInfo>(`SELECT ${SECRET_INFO} FROM secrets ORDER BY name LIMIT ?`),
      after: db.prepare<[string, number], SecretInfo>(`SELECT ${SECRET_INFO} FROM secrets WHERE name > ? ORDER BY name LIMIT ?`),
    },
    allSealedSecrets: db.prepare<[], SealedSecret>(`SELECT ${SEALED_SECRET} FROM secrets`),
    namedSealedSecrets: db.prepare<[string], SealedSecret>(
      `SELECT ${SEALED_SECRET} FROM secrets WHERE name IN (SELECT value FROM json_each(?))`,
    ),
    deleteSecret: db.prepare<[string]>(`DELETE FROM secrets WHERE name = ?`),
  };
}

/** Every fixed statement the SQLite store runs, prepared once when it opens. */
export function prepareStatements(db: Database.Database): SqliteStatements {
  return {
    ...scenarioStatements(db),
    ...webRequestStatements(db),
    ...processStatements(db),
    ...secretStatements(db),
    ping: db.prepare<[]>(`SELECT count(*) FROM sqlite_schema`),
  };
}
