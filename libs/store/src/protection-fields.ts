import type { EndpointProtection } from '@webrequests/contracts';
import type { Clearable } from './store';

// A record, not a list, so that a field added to EndpointProtection fails the build here until the
// stores keep it too.
const FIELDS: Record<keyof EndpointProtection, true> = {
  secrets: true,
  auth: true,
  allowIps: true,
  dedup: true,
  timeoutMs: true,
  maxConcurrent: true,
};

/** The protection fields of an endpoint; the stores keep each one as given, and nothing inside it. */
export const PROTECTION_FIELDS = Object.keys(FIELDS) as (keyof EndpointProtection)[];

/** The protection fields that `source` sets; null and undefined both mean "not set". */
export function protectionOf(source: Clearable<EndpointProtection>): EndpointProtection {
  const set = PROTECTION_FIELDS.filter((field) => source[field] !== undefined && source[field] !== null);
  return Object.fromEntries(set.map((field) => [field, source[field]])) as EndpointProtection;
}

/** `current` after `patch`: a field the patch leaves undefined stays, a null one goes, a value replaces. */
export function patchedProtection(current: EndpointProtection, patch: Clearable<EndpointProtection>): EndpointProtection {
  const given = PROTECTION_FIELDS.filter((field) => patch[field] !== undefined);
  return protectionOf({ ...current, ...Object.fromEntries(given.map((field) => [field, patch[field]])) });
}
