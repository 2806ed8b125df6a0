import { describe, expect, it } from 'vitest';
import { buildWorld } from '../kube/world';
import { twoPodsOneNode } from '../sim/testing/models';
import { trace } from '../sim/trace';
import type { NetfilterEvent } from '../sim/trace-types';
import { conntrackList, createNetfilterState, restore, save } from './index';

const CT_RULESET = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate INVALID -j DROP
COMMIT
`;

const flow = {
  from: { kind: 'pod', namespace: 'default', name: 'web-a' },
  to: { kind: 'pod', namespace: 'default', name: 'web-b' },
  proto: 'tcp',
  port: 80,
} as const;

function kernelView(events: NetfilterEvent[]): string[] {
  return events
    .filter((e) => e.matched)
    .map(
      (e) => `${e.dir} ${e.table} ${e.chain} ${e.rule === null ? 'policy' : 'rule'} ${e.verdict}`,
    );
}

describe('iptables-restore', () => {
  it('loads tables and prints them back as iptables-save does', () => {
    const s = createNetfilterState();
    expect(restore(s, CT_RULESET, 'node.rules')).toEqual([]);
    expect(save(s)).toBe(
      `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n`,
    );
  });

  it('reports bad lines with their line numbers and commits nothing of that table', () => {
    const s = createNetfilterState();
    const d = restore(
      s,
      '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -q 1 -j ACCEPT\n-A INPUT -j NOWHERE\nCOMMIT\n',
      'bad.rules',
    );
    expect(d.map((x) => [x.line, x.message])).toEqual([
      [3, 'line 3 failed: unknown option "-q"'],
      [4, 'line 4 failed: chain "NOWHERE" does not exist (no such target)'],
    ]);
    expect(s.tables.size).toBe(0);
  });

  it('refuses a jump loop at restore, with the line that closes it', () => {
    const s = createNetfilterState();
    const d = restore(
      s,
      '*filter\n:FORWARD ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A FORWARD -j A\n-A A -j B\n-A B -j A\nCOMMIT\n',
      'loop',
    );
    expect(d.map((x) => [x.line, x.code])).toEqual([[7, 'PW3008']]);
    expect(s.tables.size).toBe(0);
  });

  it('a jump loop that bypassed restore ends the walk with a reason instead of hanging', () => {
    const world = buildWorld(twoPodsOneNode());
    const node = world.namespaces.get('node-1')!;
    expect(
      restore(
        node.netfilter,
        '*filter\n:FORWARD ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A FORWARD -j A\n-A A -j B\nCOMMIT\n',
        'loop',
      ),
    ).toEqual([]);
    const b = node.netfilter.tables.get('filter')!.chains.get('B')!;
    b.rules = [{ text: '-A B -j A', matches: [], target: { kind: 'JUMP', chain: 'A' } }];
    const t = trace(world, flow, 1);
    // The data path turns netfilter's loop verdict into the outcome `loop`.
    expect(t.outcome).toBe('loop');
  });
});

describe('conntrack and nat on a bridged pod-to-pod flow (checked against the kernel, docs/KERNEL-NOTES.md)', () => {
  it('an empty nat table alone loads no conntrack: only filter FORWARD policies show', () => {
    const world = buildWorld(twoPodsOneNode());
    restore(
      world.namespaces.get('node-1')!.netfilter,
      CT_RULESET.replace('-A FORWARD -m conntrack --ctstate INVALID -j DROP\n', ''),
      'n',
    );
    const t = trace(world, flow, 1);
    expect(kernelView(t.events.filter((e): e is NetfilterEvent => e.kind === 'netfilter'))).toEqual(
      ['request filter FORWARD policy ACCEPT', 'reply filter FORWARD policy ACCEPT'],
    );
    expect(conntrackList(world.namespaces.get('node-1')!.netfilter)).toBe('');
  });

  it('a conntrack rule switches it on: nat chains run for the first packet only', () => {
    const world = buildWorld(twoPodsOneNode());
    restore(world.namespaces.get('node-1')!.netfilter, CT_RULESET, 'n');
    const t = trace(world, flow, 1);
    expect(kernelView(t.events.filter((e): e is NetfilterEvent => e.kind === 'netfilter'))).toEqual(
      [
        'request nat PREROUTING policy ACCEPT',
        'request filter FORWARD policy ACCEPT',
        'request nat POSTROUTING policy ACCEPT',
        'reply filter FORWARD policy ACCEPT',
      ],
    );
    const unmatched = t.events.find((e) => e.kind === 'netfilter' && !e.matched);
    expect(unmatched).toMatchObject({ chain: 'FORWARD', range: [1, 1], verdict: 'CONTINUE' });
    expect(conntrackList(world.namespaces.get('node-1')!.netfilter)).toMatch(
      /^tcp {6}6 59 SYN_RECV src=10\.244\.0\.2 dst=10\.244\.0\.3 sport=\d+ dport=80 src=10\.244\.0\.3 dst=10\.244\.0\.2 sport=80 dport=\d+ mark=0 use=1$/,
    );
  });

  it('a DROP policy in FORWARD stops the bridged frame and says where', () => {
    const world = buildWorld(twoPodsOneNode());
    restore(
      world.namespaces.get('node-1')!.netfilter,
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n',
      'n',
    );
    const t = trace(world, flow, 1);
    expect(t.outcome).toBe('dropped');
    expect(t.events.at(-1)).toMatchObject({
      kind: 'drop',
      message: 'DROP by the policy of filter FORWARD at FORWARD',
    });
  });
});

describe('a kube-proxy-style service through the data path', () => {
  it('DNATs the SYN at the bridge, and the bridged reply is de-DNATed so the client sees the VIP', () => {
    const world = buildWorld(twoPodsOneNode());
    const node = world.namespaces.get('node-1')!;
    expect(
      restore(
        node.netfilter,
        `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-1 - [0:0]\n-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.99/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-1\n-A KUBE-SVC-1 -p tcp -j DNAT --to-destination 10.244.0.3:80\nCOMMIT\n`,
        'n',
      ),
    ).toEqual([]);
    const t = trace(
      world,
      { from: flow.from, to: { kind: 'ip', ip: '10.96.0.99', port: 80 }, proto: 'tcp' },
      1,
    );
    expect(t.outcome).toBe('delivered');
    const nat = t.events.filter((e) => e.kind === 'nat');
    expect(nat.map((e) => [e.dir, e.ns, e.hook, e.type, e.before, e.after])).toEqual([
      ['request', 'node-1', 'PREROUTING', 'DNAT', '10.96.0.99:80', '10.244.0.3:80'],
      ['reply', 'node-1', 'POSTROUTING', 'de-DNAT', '10.244.0.3:80', '10.96.0.99:80'],
    ]);
    // The reply is tracked, not walked through nat again.
    expect(
      t.events.filter((e) => e.kind === 'netfilter' && e.dir === 'reply' && e.table === 'nat'),
    ).toEqual([]);
    expect(t.delivered?.src).toBe('10.244.0.2:50471');
  });
});
