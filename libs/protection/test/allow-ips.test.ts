import { ipAllowList, isValidCidr } from '@webrequests/protection';

describe('isValidCidr', () => {
  it.each(['10.0.0.0/8', '192.168.1.7/32', '0.0.0.0/0', '10.1.2.3/8', '2001:db8::/32', '::/0', 'fe80::1/128', '203.0.113.9', '2001:db8::42'])(
    'accepts %s',
    (text) => expect(isValidCidr(text)).toBe(true),
  );

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/8/8', '10.0.0/8', '256.0.0.1', '010.0.0.1', ' 10.0.0.1', 'fe80::1%eth0/64', 'localhost', '', '/8', '10.0.0.0/-1'])(
    'refuses %j',
    (text) => expect(isValidCidr(text)).toBe(false),
  );
});

describe('ipAllowList', () => {
  const allowed = ipAllowList(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1']);

  it('allows IPv4 callers inside a range or equal to a bare address, and no neighbour', () => {
    expect(['10.255.0.1', '192.168.1.7', '11.0.0.1', '192.168.1.8'].map(allowed)).toEqual([true, true, false, false]);
  });

  it('allows IPv6 callers inside a range or equal to a bare address, however written', () => {
    expect(['2001:db8:ffff::1', '2001:0db8:0000::0001', '::1', '2001:db9::1', '::2'].map(allowed)).toEqual([true, true, true, false, false]);
  });

  it('matches IPv4-mapped IPv6 callers, as a dual-stack socket reports them, against the IPv4 ranges', () => {
    expect(['::ffff:10.1.2.3', '::FFFF:192.168.1.7', '::ffff:11.1.2.3'].map(allowed)).toEqual([true, true, false]);
  });

  it('refuses an address that does not parse', () => {
    expect(['', 'unknown', '10.1.2', '10.1.2.3:443', '10.1.2.3/8', '[::1]'].some(allowed)).toBe(false);
  });

  it('allows nobody with an empty list', () => {
    expect(ipAllowList([])('10.1.2.3')).toBe(false);
  });

  it('throws for an entry that is not a range, naming it', () => {
    expect(() => ipAllowList(['10.0.0.0/8', '10.0.0.0/40'])).toThrow('"10.0.0.0/40" is not an IPv4 or IPv6 address or CIDR range');
  });
});
