/** A request's headers as Node gives them: lower-case names, and an array only for a header it kept every copy of. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * A header's value by name, in any case: `undefined` when it is absent or empty, an array when the
 * request carried it more than once (callers treat that as ambiguous rather than pick a copy). Own
 * properties only, so a header named `__proto__` or `constructor` is never read off the prototype.
 */
export function findHeader(headers: RequestHeaders, name: string): string | string[] | undefined {
  const lower = name.toLowerCase();
  // Node's names are lower-case already; the scan is for headers built by hand (tests, the test API).
  const key = Object.hasOwn(headers, lower) ? lower : Object.keys(headers).find((candidate) => candidate.toLowerCase() === lower);
  const value = key === undefined ? undefined : headers[key];
  if (Array.isArray(value)) return value.length > 1 ? value : value[0] || undefined;
  return value || undefined;
}
