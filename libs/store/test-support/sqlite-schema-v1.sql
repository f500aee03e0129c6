-- The SQLite store's schema version 1, as it shipped: what the migration test opens. Never edit it.
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
  worker       TEXT
);
-- (column, id) so that a filtered listing walks the index already in page order.
CREATE INDEX IF NOT EXISTS processes_status ON processes (status, id);
CREATE INDEX IF NOT EXISTS processes_webrequestId ON processes (webrequestId, id);
CREATE INDEX IF NOT EXISTS processes_scriptId ON processes (scriptId, id);
CREATE INDEX IF NOT EXISTS processes_createdAt ON processes (createdAt);
PRAGMA user_version = 1;
