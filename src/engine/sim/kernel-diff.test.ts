import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../kube/world';
import { restore } from '../netfilter/index';
import {
  inNs,
  kernelUnavailable,
  restoreRules,
  sh,
  TraceMonitor,
  waitFor,
  type KernelStep,
} from './testing/kernel';
import { twoPodsOneNode } from './testing/models';
import { trace } from './trace';
import type { Trace } from './trace-types';

// The same cluster built twice — in the engine and in real network namespaces on this
// machine — and the same TCP connection traced in both. For every namespace the packet
// crosses, the netfilter steps the engine reports as matched rules and applied policies
// must equal what `nft monitor trace` reports for the SYN and for the SYN-ACK.

const unavailable = kernelUnavailable();
if (unavailable) console.log(`kernel differential tests skipped: ${unavailable}`);

/** A node-like ruleset: conntrack on (ctstate), a matched FORWARD rule, empty nat chains. */
const RULES = `*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -s 10.244.0.0/16 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
`;
/** The kernel side also marks every packet for tracing, in each namespace (the flag does not cross a veth). */
const WITH_TRACE = RULES.replace(
  ':OUTPUT ACCEPT [0:0]\nCOMMIT\n*filter',
  ':OUTPUT ACCEPT [0:0]\n-A PREROUTING -j TRACE\n-A OUTPUT -j TRACE\nCOMMIT\n*filter',
);

const tag = `pw${process.pid}`;
const NS = { node: `${tag}-node`, a: `${tag}-a`, b: `${tag}-b` };
const ENGINE_NS: Record<keyof typeof NS, string> = {
  node: 'node-1',
  a: 'default/web-a',
  b: 'default/web-b',
};

function buildKernel() {
  for (const ns of Object.values(NS)) sh('ip', 'netns', 'add', ns);
  inNs(NS.node, 'ip', 'link', 'set', 'lo', 'up');
  inNs(NS.node, 'ip', 'link', 'add', 'cni0', 'type', 'bridge');
  inNs(NS.node, 'ip', 'addr', 'add', '10.244.0.1/24', 'dev', 'cni0');
  inNs(NS.node, 'ip', 'link', 'set', 'cni0', 'up');
  inNs(NS.node, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1');
  for (const [pod, ip] of [
    ['a', '10.244.0.2'],
    ['b', '10.244.0.3'],
  ] as const) {
    const ns = NS[pod];
    inNs(
      NS.node,
      'ip',
      'link',
      'add',
      `veth${pod}`,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      ns,
    );
    inNs(NS.node, 'ip', 'link', 'set', `veth${pod}`, 'master', 'cni0', 'up');
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
    inNs(ns, 'ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0');
    inNs(ns, 'ip', 'link', 'set', 'eth0', 'up');
    inNs(ns, 'ip', 'route', 'add', 'default', 'via', '10.244.0.1');
  }
  for (const ns of Object.values(NS)) restoreRules(ns, WITH_TRACE);
}

interface Step {
  table: string;
  chain: string;
  kind: 'rule' | 'policy';
  verdict: string;
}
const simple = (s: KernelStep | Step): Step => ({
  table: s.table,
  chain: s.chain,
  kind: s.kind,
  verdict: s.verdict.toLowerCase(),
});

function engineSteps(t: Trace, ns: string, dir: 'request' | 'reply'): Step[] {
  return t.events.flatMap((e) =>
    e.kind === 'netfilter' && e.matched && e.ns === ns && e.dir === dir
      ? [
          {
            table: e.table,
            chain: e.chain,
            kind: e.rule === null ? 'policy' : 'rule',
            verdict: e.verdict.toLowerCase(),
          } as Step,
        ]
      : [],
  );
}

describe.skipIf(unavailable !== null)(
  'kernel differential: pod → pod across cni0 with br_netfilter',
  () => {
    const monitors: TraceMonitor[] = [];
    let engine: Trace;

    beforeAll(async () => {
      buildKernel();
      for (const ns of Object.values(NS)) monitors.push(new TraceMonitor(ns));
      await Promise.all(monitors.map((m) => m.ready()));
    console.log("monitors ready");
      const server = `import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',80));s.listen();print('up',flush=True);c,_=s.accept();c.close()`;
      const srv = (await import('node:child_process')).spawn('ip', [
        'netns',
        'exec',
        NS.b,
        'python3',
        '-c',
        server,
      ]);
      let up = false;
      srv.stdout.on('data', () => (up = true));
      await waitFor("the server in pod b", () => up);
    console.log("server up");
      inNs(
        NS.a,
        'python3',
        '-c',
        "import socket;socket.create_connection(('10.244.0.3',80),timeout=3).close()",
      );
      const synAck = (m: TraceMonitor) =>
        m
          .traces()
          .some((t) => t.packet.includes('tcp sport 80') && t.packet.includes('flags == 0x12'));
      await waitFor('the SYN-ACK in every namespace', () => monitors.every(synAck));

      const world = buildWorld(twoPodsOneNode());
      for (const ns of Object.values(ENGINE_NS))
        expect(restore(world.namespaces.get(ns)!.netfilter, RULES, 'rules')).toEqual([]);
      engine = trace(
        world,
        {
          from: { kind: 'pod', namespace: 'default', name: 'web-a' },
          to: { kind: 'pod', namespace: 'default', name: 'web-b' },
          proto: 'tcp',
          port: 80,
        },
        1,
      );
    }, 60_000);

    afterAll(() => {
      monitors.forEach((m) => m.stop());
      for (const ns of Object.values(NS)) sh('ip', 'netns', 'del', ns);
    });

    for (const key of ['a', 'node', 'b'] as const)
      for (const [dir, flags] of [
        ['request', 'flags == syn '],
        ['reply', 'flags == 0x12 '],
      ] as const)
        it(`${key === 'node' ? 'the node' : `pod ${key}`}: the ${dir === 'request' ? 'SYN' : 'SYN-ACK'} passes the same rules and policies`, () => {
          const monitor = monitors[Object.keys(NS).indexOf(key)]!;
          const traced = monitor.traces().filter((t) => t.packet.includes(flags));
          expect(traced).toHaveLength(1);
          const kernel = traced[0]!.steps.map(simple);
          expect(kernel.length).toBeGreaterThan(0);
          expect(engineSteps(engine, ENGINE_NS[key], dir)).toEqual(kernel);
        });
  },
);
