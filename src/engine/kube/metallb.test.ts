import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { electL2, firstFree, poolFor, type Pool } from './metallb';

const n = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const pool = (name: string, first: string, last: string, extra: Partial<Pool> = {}): Pool => ({
  name,
  ranges: [{ first: n(first), last: n(last) }],
  autoAssign: true,
  avoidBuggyIPs: false,
  ...extra,
});

describe('MetalLB allocator helpers', () => {
  it('finds the pool that holds an address; avoidBuggyIPs pools do not own .0 and .255', () => {
    const pools = [
      pool('a', '192.168.56.240', '192.168.56.250'),
      pool('b', '10.0.0.0', '10.0.1.255', { avoidBuggyIPs: true }),
    ];
    expect(poolFor(pools, n('192.168.56.245'))?.name).toBe('a');
    expect(poolFor(pools, n('10.0.0.7'))?.name).toBe('b');
    expect(poolFor(pools, n('10.0.0.255'))).toBeUndefined();
    expect(poolFor(pools, n('10.0.1.0'))).toBeUndefined();
    expect(poolFor(pools, n('192.168.56.251'))).toBeUndefined();
  });

  it('hands out the lowest free address, skipping .0/.255 only with avoidBuggyIPs', () => {
    const cidr = pool('c', '10.0.0.0', '10.0.0.255');
    expect(firstFree(cidr, new Set())).toBe(n('10.0.0.0'));
    expect(firstFree({ ...cidr, avoidBuggyIPs: true }, new Set())).toBe(n('10.0.0.1'));
    expect(firstFree(cidr, new Set([n('10.0.0.0'), n('10.0.0.1')]))).toBe(n('10.0.0.2'));
    const one = pool('one', '10.0.0.9', '10.0.0.9');
    expect(firstFree(one, new Set([n('10.0.0.9')]))).toBeUndefined();
  });

  it('elects the L2 leader by SHA-256 of "node#ip": the same answer whatever the input order', () => {
    const nodes = ['node-1', 'node-2', 'node-3'];
    for (const ip of ['192.168.56.240', '192.168.56.241', '192.168.56.242']) {
      const leader = electL2(nodes, ip);
      expect(nodes).toContain(leader);
      expect(electL2([...nodes].reverse(), ip)).toBe(leader);
    }
    expect(electL2([], '192.168.56.240')).toBeUndefined();
    // The same leader node:crypto's SHA-256 gives.
    const byNode = (ip: string) =>
      [...nodes].sort((a, b) => {
        const h = (x: string) => createHash('sha256').update(`${x}#${ip}`).digest('hex');
        return h(a) < h(b) ? -1 : 1;
      })[0];
    expect(electL2(nodes, '192.168.56.241')).toBe(byNode('192.168.56.241'));
    // Different addresses spread over different leaders (the hash is per address).
    const leaders = new Set(
      Array.from({ length: 16 }, (_, i) => electL2(nodes, `192.168.56.${200 + i}`)),
    );
    expect(leaders.size).toBeGreaterThan(1);
  });
});
