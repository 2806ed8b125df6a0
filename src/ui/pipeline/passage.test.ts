import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../protocol/messages';
import { passageAt } from './passage';

const base = { dir: 'request' as const, node: 'node-1' };
const hook = (
  i: number,
  h: 'PREROUTING' | 'FORWARD' | 'POSTROUTING',
  ns = 'node-1',
): TraceEvent => ({
  ...base,
  i,
  ns,
  kind: 'hook',
  hook: h,
  family: 'ipv4',
});
const rule = (i: number, chain: string, table: 'nat' | 'filter' = 'nat'): TraceEvent => ({
  ...base,
  i,
  ns: 'node-1',
  kind: 'netfilter',
  hook: 'PREROUTING',
  table,
  chain,
  rule: `-A ${chain} -j X`,
  index: 1,
  matched: true,
  verdict: 'JUMP',
});

describe('where the packet is in netfilter', () => {
  const events: TraceEvent[] = [
    hook(0, 'POSTROUTING', 'default/a'),
    hook(1, 'PREROUTING'),
    rule(2, 'PREROUTING'),
    rule(3, 'KUBE-SERVICES'),
    rule(4, 'KUBE-SVC-X'),
    hook(5, 'FORWARD'),
    rule(6, 'FORWARD', 'filter'),
  ];

  it('follows the jumps of the current hook and table', () => {
    expect(passageAt(events, 4)).toMatchObject({
      ns: 'node-1',
      hook: 'PREROUTING',
      table: 'nat',
      chains: ['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-X'],
      passed: [],
    });
  });

  it('marks the hooks already passed in this namespace only', () => {
    expect(passageAt(events, 6)).toMatchObject({
      hook: 'FORWARD',
      table: 'filter',
      chains: ['FORWARD'],
      passed: ['PREROUTING'],
    });
    expect(passageAt(events, 0)?.ns).toBe('default/a');
    expect(passageAt(events, 99)).toBeNull();
  });
});
