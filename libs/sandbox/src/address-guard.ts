import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ScenarioFetchError } from './scenario-fetch-error';

type Block = readonly [network: ipaddr.IPv4 | ipaddr.IPv6, bits: number, label: string];

function blocks(list: ReadonlyArray<readonly [cidr: string, label: string]>): Block[] {
  return list.map(([cidr, label]) => [...ipaddr.parseCIDR(cidr), label] as const);
}

/**
 * IPv4 blocks that are not globally reachable (the IANA IPv4 Special-Purpose Address Registry),
 * checked on top of ipaddr.js's own ranges, so that no version of ipaddr.js that names one of them
 * `unicast` makes it public.
 */
const IPV4_NOT_GLOBAL = blocks([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrierGradeNat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'linkLocal'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.31.196.0/24', 'as112'],
  ['192.52.193.0/24', 'amt'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['192.175.48.0/24', 'as112'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

/** Global unicast IPv6 (RFC 4291 §2.4): anything else is refused, whatever ipaddr.js calls it. */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/** Blocks inside 2000::/3 that are not globally reachable, or that embed an IPv4 address of their own. */
const IPV6_NOT_GLOBAL = blocks([
  // IETF protocol assignments: Teredo, benchmarking, AMT, AS112, ORCHID, drone tags…
  ['2001::/23', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['2620:4f:8000::/48', 'as112v6'],
  ['3fff::/20', 'reserved'],
]);

/** 6to4 (RFC 3056): the IPv4 address of the relay's far end is bits 16–47. */
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');
/** The NAT64 well-known prefix (RFC 6052): the IPv4 address is the last 32 bits. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

function within(address: ipaddr.IPv4 | ipaddr.IPv6, [network, bits]: readonly [ipaddr.IPv4 | ipaddr.IPv6, number, ...string[]]): boolean {
  return address.kind() === network.kind() && address.match(network, bits);
}

/**
 * `::a.b.c.d` written with hex groups instead (`::a0b:c0d`). ipaddr.js reads any IPv6 address with
 * a dotted-quad tail as IPv4-mapped, `::8.8.8.8` as `::ffff:8.8.8.8`, where the system (and
 * inet_ntop, which prints IPv4-compatible addresses that way) means the IPv4-compatible `::808:808`.
 */
function withoutDottedQuad(address: string): string {
  const match = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(%.*)?$/.exec(address);
  if (match === null) return address;
  const [, head, a, b, c, d, zone = ''] = match;
  const group = (high: string, low: string) => ((Number(high) << 8) | Number(low)).toString(16);
  return `${head}${group(a, b)}:${group(c, d)}${zone}`;
}

function ipv4Range(address: ipaddr.IPv4): string {
  const range = address.range();
  if (range !== 'unicast') return range;
  return IPV4_NOT_GLOBAL.find((block) => within(address, block))?.[2] ?? 'unicast';
}

function ipv4At(bytes: number[], offset: number): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes.slice(offset, offset + 4));
}

function ipv6Range(address: ipaddr.IPv6): string {
  const bytes = address.toByteArray();
  const zeros = (count: number) => bytes.slice(0, count).every((byte) => byte === 0);
  // ::ffff:a.b.c.d: a socket given it connects to a.b.c.d.
  if (zeros(10) && bytes[10] === 0xff && bytes[11] === 0xff) return ipv4Range(ipv4At(bytes, 12));
  if (zeros(12)) {
    if (zeros(15) && bytes[15] === 0) return 'unspecified';
    if (zeros(15) && bytes[15] === 1) return 'loopback';
    // ::a.b.c.d, "IPv4-compatible" (deprecated by RFC 4291): never a global address.
    return 'ipv4Compatible';
  }
  if (within(address, NAT64_WELL_KNOWN)) return ipv4Range(ipv4At(bytes, 12));
  if (within(address, SIX_TO_FOUR)) return ipv4Range(ipv4At(bytes, 2));
  const range = address.range();
  if (!within(address, IPV6_GLOBAL_UNICAST)) return range === 'unicast' ? 'reserved' : range;
  if (range !== 'unicast') return range;
  return IPV6_NOT_GLOBAL.find((block) => within(address, block))?.[2] ?? 'unicast';
}

/**
 * What kind of address this is: `unicast` for a global unicast address, the only kind a scenario may
 * reach through a wildcard; otherwise why not (`private`, `loopback`, `linkLocal`, `uniqueLocal`,
 * `carrierGradeNat`, `reserved`, `ipv4Compatible`…, mostly ipaddr.js's range names). IPv6 counts
 * only inside 2000::/3, and an IPv6 address that carries an IPv4 one (IPv4-mapped, the NAT64
 * well-known prefix, 6to4) is judged by that IPv4 address.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.parse(address.includes(':') ? withoutDottedQuad(address) : address);
  return parsed.kind() === 'ipv4' ? ipv4Range(parsed as ipaddr.IPv4) : ipv6Range(parsed as ipaddr.IPv6);
}

/** Whether a scenario may connect to `address` through a wildcard entry of the allow-list. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
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
    const allowed = addresses.filter((entry) => isPublicAddress(entry.address));
    if (allowed.length === 0) return callback(addresses.length > 0 ? refusedAddress(addresses[0].address, hostname) : new ScenarioFetchError(`fetch failed: ${hostname} has no address`), '');
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
}
