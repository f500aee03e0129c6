import { AppError, ConflictError, UnavailableError } from '@webrequests/contracts';
import Database from 'better-sqlite3';

// Failures of the file or the lock, not of the request: the caller should answer 503 and may retry.
const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PROTOCOL',
  'SQLITE_PERM',
]);

const CONFLICT_CODES = new Set([
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
]);

/**
 * A better-sqlite3 error, told by its shape: the addon is loaded once per process and keeps the
 * `SqliteError` class of the first copy of the module that loaded it, so `instanceof` fails for errors
 * seen through another copy (as under Jest, which gives each test file its own module registry).
 */
function isSqliteError(err: unknown): err is InstanceType<typeof Database.SqliteError> {
  // Not `instanceof Error` either: under Jest the addon's errors come from another realm's Error.
  const candidate = err as { name?: unknown; code?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate.name === 'SqliteError' && typeof candidate.code === 'string';
}

/**
 * Maps a better-sqlite3 failure to the contract's errors. The explicit checks in the store normally
 * answer first; constraint errors here are the backstop for races and for rules only the schema knows.
 */
export function toStoreError(err: unknown): unknown {
  if (err instanceof AppError || !isSqliteError(err)) return err;
  if (CONFLICT_CODES.has(err.code)) {
    return new ConflictError(`conflicting record: ${err.message}`, { cause: err });
  }
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT…) share their primary code's meaning.
  const primary = err.code.split('_').slice(0, 2).join('_');
  if (UNAVAILABLE_CODES.has(primary)) {
    return new UnavailableError(`the SQLite store failed: ${err.message}`, { cause: err });
  }
  return err;
}

/**
 * Whether `err` is SQLite saying another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED and
 * their extended codes): worth trying again shortly, unlike every other failure.
 */
export function isLockWait(err: unknown): boolean {
  return isSqliteError(err) && /^SQLITE_(BUSY|LOCKED)/.test(err.code);
}

/** How long to wait before try `attempt` (0-based) for a lock: 5 ms, doubling, at most 100 ms. */
export function lockWaitDelayMs(attempt: number): number {
  return Math.min(100, 5 * 2 ** Math.min(attempt, 5));
}
