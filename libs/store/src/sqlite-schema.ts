import type Database from 'better-sqlite3';

/** The schema this code writes; `PRAGMA user_version` holds the one a file was made with. */
export const SCHEMA_VERSION = 2;

// Column names match the contract's field names so rows map onto records without renaming.
// Processes do not reference endpoints: a record outlives the endpoint that started it.
// An endpoint's protection is one JSON object of the fields it sets: nothing queries inside it.
const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS scenarios (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS webrequests (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  urlId       TEXT NOT NULL,
  scriptId    TEXT NOT NULL REFERENCES scenarios(id) ON DELETE RESTRICT,
  status      TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
  corsOrigins TEXT,
  protection  TEXT,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS webrequests_urlId ON webrequests (urlId);
CREATE INDEX IF NOT EXISTS webrequests_scriptId ON webrequests (scriptId);

CREATE TABLE IF NOT EXISTS processes (
  id           TEXT PRIMARY KEY,
  webrequestId TEXT NOT NULL,
  scriptId     TEXT NOT NULL,
  async        INTEGER NOT NULL CHECK (async IN (0, 1)),
  status       TEXT NOT NULL
               CHECK (status IN ('queued', 'running', 'completed', 'failed', 'aborted')),
  requestId    TEXT NOT NULL,
  input        TEXT,
  output       TEXT,
  error        TEXT,
  logs         TEXT NOT NULL DEFAULT '[]',
  createdAt    TEXT NOT NULL,
  startedAt    TEXT,
  finishedAt   TEXT,
  durationMs   INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0,
  worker       TEXT,
  replayOf     TEXT,
  test         INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1))
);
-- (column, id) so that a filtered listing walks the index already in page order.
CREATE INDEX IF NOT EXISTS processes_status ON processes (status, id);
CREATE INDEX IF NOT EXISTS processes_webrequestId ON processes (webrequestId, id);
CREATE INDEX IF NOT EXISTS processes_scriptId ON processes (scriptId, id);
CREATE INDEX IF NOT EXISTS processes_createdAt ON processes (createdAt);
CREATE INDEX IF NOT EXISTS processes_replayOf ON processes (replayOf, id);
-- Partial: test runs are few, and a full index on a two-valued column could lure the planner away
-- from the selective ones above.
CREATE INDEX IF NOT EXISTS processes_tests ON processes (id) WHERE test = 1;

CREATE TABLE IF NOT EXISTS secrets (
  name       TEXT PRIMARY KEY,
  keyId      TEXT NOT NULL,
  iv         TEXT NOT NULL,
  tag        TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  createdAt  TEXT NOT NULL,
  updatedAt  TEXT NOT NULL
);
`;

// MIGRATIONS[v] takes a file of version v - 1 to version v; SCHEMA_SQL then adds the missing tables
// and indexes. A new file (version 0) has no tables to alter: SCHEMA_SQL makes them whole.
const MIGRATIONS: Record<number, string> = {
  2: `
ALTER TABLE webrequests ADD COLUMN protection TEXT;
ALTER TABLE processes ADD COLUMN replayOf TEXT;
ALTER TABLE processes ADD COLUMN test INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1));
`,
};

/**
 * Creates the tables and indexes when missing, and migrates a file of an older version in place; safe
 * to run from several processes at once, since it takes the write lock first (and waits for it under
 * the busy timeout). Refuses a file written by a newer schema rather than misreading it.
 */
export function applySchema(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`the database has schema version ${version}; this build knows up to ${SCHEMA_VERSION}`);
    }
    if (version > 0) for (let next = version + 1; next <= SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
    db.exec(SCHEMA_SQL);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
