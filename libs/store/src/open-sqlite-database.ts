import { UnavailableError } from '@webrequests/contracts';
import Database from 'better-sqlite3';
import { applySchema } from './sqlite-schema';

/** How long a store call waits, in all, for another process's lock before it fails (milliseconds). */
export const DEFAULT_BUSY_TIMEOUT_MS = 15_000;

/**
 * How long one attempt may block in SQLite's busy handler (milliseconds). better-sqlite3 is synchronous:
 * the busy handler sleeps with the event loop stopped, so a long wait there would stop everything else
 * (health checks, BullMQ's lock renewals). The store waits out a lock in short slices instead, with the
 * event loop free in between.
 */
export const BUSY_SLICE_MS = 20;

/**
 * Opens (creating when missing) a SQLite file for the store, shared safely with other processes on the
 * host: WAL lets readers and the single writer proceed together, the busy timeout makes a writer wait
 * for the lock instead of failing (at open, for the whole `busyTimeoutMs`; afterwards a slice at a time), and synchronous=NORMAL is durable against process crashes in WAL mode
 * (only an OS crash can lose the last commits). Failures come out as `UnavailableError`.
 */
export function openSqliteDatabase(filename: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    // `timeout` is better-sqlite3's busy_timeout; it must be set before the first statement so that
    // even the pragmas and the schema wait for another process that is opening the same file.
    db = new Database(filename, { timeout: busyTimeoutMs });
    if (!db.memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    applySchema(db);
    // From here on, each attempt blocks for a short slice only; the store retries off the event loop.
    db.pragma(`busy_timeout = ${Math.min(BUSY_SLICE_MS, busyTimeoutMs)}`);
    return db;
  } catch (err) {
    db?.close();
    const reason = err instanceof Error ? err.message : String(err);
    const hint = filename === ':memory:' ? '' : ': check that its folder is writable, or set STORE_URL=sqlite:<a path you can write>';
    throw new UnavailableError(`cannot open the SQLite store at ${filename} (${reason})${hint}`, { cause: err });
  }
}
