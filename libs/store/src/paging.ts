import { ValidationError } from '@webrequests/contracts';
import type { Page } from './store';

/** Page size when a request names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a request gets; larger asks are cut to it. */
export const MAX_PAGE_SIZE = 500;

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The page size to use: default when absent, capped at the maximum; not a positive integer is refused. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, 'limit');
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** The opaque cursor that continues a listing after the record `id`. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor continues after; `undefined` for the first page. A cursor we did not make is refused. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  // Round-tripping rejects strings that merely decode to something, e.g. a raw id passed as a cursor.
  if (!ID_PATTERN.test(id) || encodeCursor(id) !== cursor) {
    throw new ValidationError('cursor is not one this API gave out', 'cursor');
  }
  return id;
}

/**
 * Cuts rows fetched as `size + 1` (newest first) into a page: the extra row only tells that more exist,
 * so a full last page still answers `nextCursor: null`.
 */
export function toPage<R extends { id: string }, T>(rows: R[], size: number, map: (row: R) => T): Page<T> {
  const kept = rows.slice(0, size);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    nextCursor: rows.length > size && last ? encodeCursor(last.id) : null,
  };
}
