import { describe, expect, it } from 'vitest';
import { summarizeTrace } from './trace-summary';
import type { Trace, TraceEvent } from './trace-types';

const base = { dir: 'request' as const, node: 'node-1', ns: 'node-1' };
const events: TraceEvent[] = [
  { ...base, i: 0, kind: 'send', ns: 'default/a', process: 'curl', socket: 's' },
  {
    ...base,
    i: 1,
    kind: 'transmit',
    link: 'veth',
    from: { node: 'node-1', ns: 'default/a', dev: 'eth0' },
    to: { node: 'node-1', ns: 'node-1', dev: 'veth1' },
  },
  {
    ...base,
    i: 2,
    kind: 'bridge',
    bridge: 'cni0',
    inPort: 'veth1',
    action: 'forward',
    outPorts: ['veth2'],
    fdb: null,
  },
  // rules 1–3 unmatched, rule 4 matched, a policy: 4 rules evaluated, 1 matched, 2 chains.
  {
    ...base,
    i: 3,
    kind: 'netfilter',
    hook: 'PREROUTING',
    table: 'nat',
    chain: 'KUBE-SERVICES',
    rule: null,
    index: 1,
    range: [1, 3],
    matched: false,
    verdict: 'CONTINUE',
  },
  {
    ...base,
    i: 4,
    kind: 'netfilter',
    hook: 'PREROUTING',
    table: 'nat',
    chain: 'KUBE-SERVICES',
    rule: '-A …',
    index: 4,
    matched: true,
    verdict: 'JUMP KUBE-SVC-X',
  },
  {
    ...base,
    i: 5,
    kind: 'netfilter',
    hook: 'PREROUTING',
    table: 'filter',
    chain: 'FORWARD',
    rule: null,
    index: null,
    matched: true,
    verdict: 'ACCEPT',
  },
  {
    ...base,
    i: 6,
    kind: 'nat',
    type: 'DNAT',
    hook: 'PREROUTING',
    before: '10.96.0.10:53',
    after: '10.244.1.2:53',
  },
  { ...base, i: 7, kind: 'encap', dev: 'flannel.1', tunnel: 'vxlan', overhead: 50 },
  { ...base, i: 8, kind: 'relay', process: 'ipvs', detail: 'ip_vs_nat_xmit' },
  { ...base, i: 9, kind: 'relay', process: 'kube-proxy', detail: 'copies' },
  {
    ...base,
    i: 10,
    node: 'node-2',
    ns: 'node-2',
    kind: 'drop',
    reason: 'no-route',
    message: 'no route to 10.0.0.1',
    where: 'routing',
  },
  { ...base, i: 11, dir: 'reply', node: 'node-3', kind: 'send', process: 'x', socket: 's' },
];
const trace = {
  version: 1,
  flow: {},
  seed: 1,
  outcome: 'dropped',
  events,
  delivered: null,
} as unknown as Trace;

describe('summarizeTrace', () => {
  const s = summarizeTrace(trace);
  it('counts the rules of a run of unmatched rules one by one, and policies not at all', () => {
    expect(s).toMatchObject({ rulesEvaluated: 4, rulesMatched: 1, chains: 2, steps: 12 });
  });
  it('lists rewrites, tunnels, bridges and links in order', () => {
    expect(s.nat).toEqual([
      {
        dir: 'request',
        ns: 'node-1',
        type: 'DNAT',
        before: '10.96.0.10:53',
        after: '10.244.1.2:53',
      },
    ]);
    expect(s.tunnels).toEqual([
      { dir: 'request', ns: 'node-1', dev: 'flannel.1', tunnel: 'vxlan', overhead: 50 },
    ]);
    expect(s.bridges).toEqual([{ dir: 'request', bridge: 'node-1:cni0', action: 'forward' }]);
    expect(s.hops).toEqual([
      { dir: 'request', link: 'veth', from: 'default/a:eth0', to: 'node-1:veth1' },
    ]);
  });
  it('tells IPVS’s kernel rewrite from a user-space relay, and keeps the first drop', () => {
    expect([s.ipvs, s.relays]).toEqual([1, 1]);
    expect(s.drop).toEqual({ ns: 'node-2', message: 'no route to 10.0.0.1' });
  });
  it('names the hosts the request crossed, not those of the reply', () => {
    expect(s.hosts).toEqual(['node-1', 'node-2']);
  });
});
