import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../protocol/messages';
import { litLines, toolFor } from './inspector';

const base = { i: 0, dir: 'request' as const, node: 'node-1', ns: 'node-1' };

describe('lighting the table row a step used', () => {
  it('lights the matched rule only inside its own table', () => {
    const e: TraceEvent = {
      ...base,
      kind: 'netfilter',
      hook: 'FORWARD',
      table: 'filter',
      chain: 'FORWARD',
      rule: '-A FORWARD -j ACCEPT',
      index: 1,
      matched: true,
      verdict: 'ACCEPT',
    };
    const dump = [
      '*mangle',
      '-A FORWARD -j ACCEPT',
      'COMMIT',
      '*filter',
      ':FORWARD ACCEPT [0:0]',
      '-A FORWARD -j ACCEPT',
      'COMMIT',
    ].join('\n');
    expect([...litLines(dump, 'iptables-save', e)]).toEqual([5]);
    expect(toolFor(e)).toBe('iptables-save');
    // Another tool's output is never lit for it.
    expect(litLines(dump, 'routes', e).size).toBe(0);
  });

  it('lights the route that matched, and nothing for a rule that did not match', () => {
    const route: TraceEvent = {
      ...base,
      kind: 'route',
      table: 'main',
      route: '10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1',
      result: 'unicast',
    };
    const dump =
      'default via 192.168.56.1 dev eth0\n10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1\n';
    expect([...litLines(dump, 'routes', route)]).toEqual([1]);
    const miss: TraceEvent = {
      ...base,
      kind: 'netfilter',
      hook: 'INPUT',
      table: 'filter',
      chain: 'INPUT',
      rule: '-A INPUT -j DROP',
      index: 1,
      matched: false,
      verdict: 'CONTINUE',
    };
    expect(litLines('*filter\n-A INPUT -j DROP\n', 'iptables-save', miss).size).toBe(0);
  });
});
