import type Database from 'better-sqlite3';
import type { ProcessRow } from './sqlite-rows';

// One condition per filter; a listing ANDs those it uses. Kept as fixed text, so values are always bound.
const CONDITIONS = {
  status: 'status = @status',
  webrequestId: 'webrequestId = @webrequestId',
  scriptId: 'scriptId = @scriptId',
  async: 'async = @async',
  createdFrom: 'createdAt >= @createdFrom',
  createdTo: 'createdAt < @createdTo',
  replayOf: 'replayOf = @replayOf',
  // Literal, not bound (the value given is only a flag): SQLite uses a partial index `WHERE test = 1`
  // only for a query that says so in its text.
  tests: 'test = 1',
  noTests: 'test = 0',
  cursor: 'id < @cursor',
} as const;

type ConditionName = keyof typeof CONDITIONS;
const CONDITION_NAMES = Object.keys(CONDITIONS) as ConditionName[];

/** Bound values of one listing: a value for each filter in use, the cursor's id, and the row limit. */
export type ProcessListParams = Partial<Record<ConditionName, string | number>> & { limit: number };

/**
 * Lists processes with any mix of filters. Each mix gets its own statement, prepared the first time it
 * is used and then reused: a fixed `(@x IS NULL OR x = @x)` statement would be simpler, but SQLite cannot
 * use an index through such an OR, and the records table is the one that grows.
 */
export class SqliteProcessQueries {
  private readonly statements = new Map<string, Database.Statement<[ProcessListParams], ProcessRow>>();

  constructor(private readonly db: Database.Database) {}

  /** Rows matching `params`, newest (highest id) first, at most `params.limit`. */
  list(params: ProcessListParams): ProcessRow[] {
    const used = CONDITION_NAMES.filter((name) => params[name] !== undefined);
    return this.statementFor(used).all(params);
  }

  private statementFor(used: ConditionName[]): Database.Statement<[ProcessListParams], ProcessRow> {
    const key = used.join(',');
    let statement = this.statements.get(key);
    if (!statement) {
      const where = used.length > 0 ? `WHERE ${used.map((name) => CONDITIONS[name]).join(' AND ')}` : '';
      statement = this.db.prepare<ProcessListParams, ProcessRow>(
        `SELECT * FROM processes ${where} ORDER BY id DESC LIMIT @limit`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }
}
