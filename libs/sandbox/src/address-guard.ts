import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ScenarioFetchError } from './scenario-fetch-error';

/**
 * The ipaddr.js range of an address (`unicast` for a public one; `private`, `loopback`, `linkLocal`,
 * `uniqueLocal`, `carrierGradeNat`… otherwise). IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  return ipaddr.process(address).range();
}

/** The refusal of an address that is not public; `host` is the name it was reached by. */
export function refusedAddress(address: string, host: string): ScenarioFetchError {
  const via = host === address ? address : `${address} (the address of ${host})`;
  return new ScenarioFetchError(
    `fetch refused: ${via} is a ${addressRange(address)} address; only public addresses are allowed unless the host is listed literally in SCENARIO_FETCH_ALLOW`,
  );
}

/** The bare address of a URL's hostname when it is an IP literal (`[::1]` → `::1`), else null. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that resolves the name and keeps only public addresses, failing when none is.
 * It runs when the connection is made, so a name that resolves to a public address when it is checked
 * and to a private one when it is used (DNS rebinding) is refused all the same.
 */
export function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const allowed = addresses.filter((entry) => addressRange(entry.address) === 'unicast');
    if (allowed.length === 0) return callback(addresses.length > 0 ? refusedAddress(addresses[0].address, hostname) : new ScenarioFetchError(`fetch failed: ${hostname} has no address`), '');
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
}
