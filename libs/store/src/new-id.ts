import { v7 } from 'uuid';

/**
 * A new record id: a UUID v7, so ids sort in creation order and the stores can page by id alone.
 * Ids made in one process are strictly increasing; across processes they are ordered to the millisecond.
 */
export function newId(): string {
  return v7();
}
