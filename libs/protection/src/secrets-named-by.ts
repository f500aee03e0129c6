import type { EndpointProtection } from '@webrequests/contracts';

/** The secrets an endpoint names: those its scenario reads and the one its auth checks with. */
export function secretsNamedBy(endpoint: Pick<EndpointProtection, 'secrets' | 'auth'>): string[] {
  const names = new Set(endpoint.secrets ?? []);
  if (endpoint.auth && endpoint.auth.type !== 'none') names.add(endpoint.auth.secret);
  return [...names];
}
