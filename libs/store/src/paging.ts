import { ValidationError } from '@webrequests/contracts';
import type { Page } from './store';

/** Page size when a request names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a request gets; larger asks are cut to it. */
export const MAX_PAGE_SIZE = 500;

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a listing's cursor carries: how to take it from a row, and which keys a cursor may decode to. */
export interface CursorKey<R> {
  of(row: R): string;
  accepts(key: string): boolean;
}

/** The cursor key of the listings newest first: the record id (a UUID v7). */
export const BY_ID: CursorKey<{ id: string }> = { of: (row) => row.id, accepts: (key) => ID_PATTERN.test(key) };

/** The cursor key of the listings by name. */
export const BY_NAME: CursorKey<{ name: string }> = { of: (row) => row.name, accepts: (key) => key.length > 0 };

/** The page size to use: default when absent, capped at the maximum; not a positive integer is refused. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, 'limit');
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** The opaque cursor that continues a listing after the record whose cursor key is `key`. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key a cursor continues after; `undefined` for the first page. A cursor we did not make is refused. */
export function decodeCursor(cursor: string | undefined, kind: CursorKey<never>): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  // Round-tripping rejects strings that merely decode to something, e.g. a raw id passed as a cursor.
  if (!kind.accepts(key) || encodeCursor(key) !== cursor) {
    throw new ValidationError('cursor is not one this API gave out', 'cursor');
  }
  return key;
}

/**
 * Cuts rows fetched as `size + 1` (in the listing's order) into a page: the extra row only tells that
 * more exist, so a full last page still answers `nextCursor: null`.
 */
export function toPage<R, T>(rows: R[], size: number, map: (row: R) => T, key: CursorKey<R>): Page<T> {
  const kept = rows.slice(0, size);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    nextCursor: rows.length > size && last ? encodeCursor(key.of(last)) : null,
  };
}
