import { BlockList, isIP } from 'node:net';

/** A CIDR range as `BlockList.addSubnet` takes it. */
interface Subnet {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Whether `text` is an `allowIps` entry: an IPv4 range `a.b.c.d/n` (n ≤ 32), an IPv6 range `…/n`
 * (n ≤ 128), or a bare address (a range of one). Host bits below the prefix are allowed and ignored
 * (`10.1.2.3/8` is `10.0.0.0/8`), as `BlockList` does.
 */
export function isValidCidr(text: string): boolean {
  return parseSubnet(text) !== null;
}

/**
 * A test of a caller's address against `allowIps`. An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`,
 * what a dual-stack socket reports for an IPv4 caller) matches the IPv4 ranges, as `BlockList` does;
 * an address that does not parse is not allowed, nor is any address by an empty list. Throws for an
 * entry `isValidCidr` refuses: the endpoint was validated when it was saved.
 */
export function ipAllowList(cidrs: readonly string[]): (address: string) => boolean {
  const allowed = new BlockList();
  for (const text of cidrs) {
    const subnet = parseSubnet(text);
    if (!subnet) throw new Error(`"${text}" is not an IPv4 or IPv6 address or CIDR range`);
    allowed.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  return (address) => {
    const version = isIP(address);
    return version !== 0 && allowed.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}

function parseSubnet(text: string): Subnet | null {
  const parts = text.split('/');
  const [address, prefix] = parts;
  const version = isIP(address);
  // A zone (`fe80::1%eth0`) names an interface of one host: meaningless in a rule.
  if (parts.length > 2 || version === 0 || address.includes('%')) return null;
  const bits = version === 4 ? 32 : 128;
  if (prefix !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefix)) return null;
  const length = prefix === undefined ? bits : Number(prefix);
  return length <= bits ? { address, prefix: length, family: version === 4 ? 'ipv4' : 'ipv6' } : null;
}
