import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloudLoadBalancerModel } from './model';
import { cloudLBRules } from './cloud-lb-host';

const balancer = (n: number): CloudLoadBalancerModel => ({
  name: 'cloud-lb',
  segment: 'lan',
  ip: '192.168.56.2',
  listeners: [
    {
      service: 'default/web',
      vip: '192.168.56.241',
      protocol: 'TCP',
      port: 80,
      nodePort: 30080,
      targets: Array.from({ length: n }, (_, i) => ({
        node: `node-${i + 1}`,
        ip: `192.168.56.${11 + i}`,
      })),
    },
  ],
});

/** The share of each DNAT rule: it is reached with what the earlier ones left, and matches with its probability. */
function shares(text: string): number[] {
  let left = 1;
  return text
    .split('\n')
    .filter((l) => l.startsWith('-A PREROUTING'))
    .map((l) => {
      const p = Number(/--probability (\S+)/.exec(l)?.[1] ?? '1');
      const share = left * p;
      left -= share;
      return share;
    });
}

describe('the cloud load balancer spreads connections evenly over its targets', () => {
  it('writes 1/n, 1/(n-1), … as kube-proxy does, the last rule without statistic', () => {
    const text = cloudLBRules(balancer(3));
    expect(text).toContain(
      '--probability 0.33333333349 -j DNAT --to-destination 192.168.56.11:30080',
    );
    expect(text).toContain(
      '--probability 0.50000000000 -j DNAT --to-destination 192.168.56.12:30080',
    );
    expect(text).toMatch(/--dport 80 -j DNAT --to-destination 192\.168\.56\.13:30080/);
    // One SNAT per target, to the balancer's own address.
    expect(text.match(/-j SNAT --to-source 192\.168\.56\.2$/gm)).toHaveLength(3);
  });

  it('property: every one of n targets gets 1/n of the connections', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (n) => {
        const s = shares(cloudLBRules(balancer(n)));
        expect(s).toHaveLength(n);
        for (const x of s) expect(Math.abs(x - 1 / n)).toBeLessThan(1e-8);
      }),
    );
  });

  it('a port without a healthy target is refused with a TCP reset, not DNATed', () => {
    const text = cloudLBRules(balancer(0));
    expect(text).not.toContain('DNAT');
    expect(text).toContain('-j REJECT --reject-with tcp-reset');
  });
});
