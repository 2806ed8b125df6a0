import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  broadcastOf,
  cidrContains,
  cidrOverlaps,
  formatCidr4,
  formatIp4,
  ip4,
  parseCidr4,
  parseIp4,
} from './ip';

const octet = fc.integer({ min: 0, max: 255 });
const dotted = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));

describe('IPv4 addresses', () => {
  it('parse and print round-trip for every dotted quad', () => {
    fc.assert(fc.property(dotted, (text) => formatIp4(ip4(text)) === text));
  });

  it('rejects what is not a four-part decimal address', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1x', '', 'a.b.c.d', '1.2.3.4/8']) {
      expect(parseIp4(bad)).toBeUndefined();
    }
  });

  it('prefixes: host bits must be zero unless loose, and containment follows the mask', () => {
    expect(parseCidr4('10.244.1.0/24')).toBeDefined();
    expect(parseCidr4('10.244.1.7/24')).toBeUndefined();
    expect(formatCidr4(parseCidr4('10.244.1.7/24', true)!)).toBe('10.244.1.0/24');
    const c = parseCidr4('10.244.0.0/16')!;
    expect(cidrContains(c, ip4('10.244.255.1'))).toBe(true);
    expect(cidrContains(c, ip4('10.245.0.1'))).toBe(false);
    expect(formatIp4(broadcastOf(parseCidr4('192.168.1.0/24')!))).toBe('192.168.1.255');
    expect(cidrOverlaps(parseCidr4('10.96.0.0/12')!, parseCidr4('10.100.0.0/16')!)).toBe(true);
    expect(cidrOverlaps(parseCidr4('10.96.0.0/12')!, parseCidr4('10.244.0.0/16')!)).toBe(false);
  });

  it('every address is inside /0 and its own /32', () => {
    fc.assert(
      fc.property(dotted, (text) => {
        const ip = ip4(text);
        return (
          cidrContains(parseCidr4('0.0.0.0/0')!, ip) && cidrContains(parseCidr4(`${text}/32`)!, ip)
        );
      }),
    );
  });
});
