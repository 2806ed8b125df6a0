import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerBridge,
  flannelVxlan,
  iptablesNatLab,
  lanLab,
  NETNS_WALKTHROUGH,
  routedLab,
} from '../kube/labs';
import type { LabModel } from '../kube/lab-model';
import { labMac } from '../kube/lab-world';
import { runFlow, stepsBothWays, type FlowRun } from './testing/diff';
import { kernelUnavailable, KernelLab } from './testing/kernel';
import { labFromWorld } from './testing/from-world';
import { twoPodsOneNode } from './testing/models';
import { buildWorld } from '../kube/world';
import { restore } from '../netfilter/index';
import type { World } from '../kernel/world';

// Each lab is built twice — by the engine and in real network namespaces on this machine —
// and each of its flows is sent in both. Compared: for every namespace the packet crosses,
// the (hook, table, chain, rule-or-policy, verdict) steps the engine reports as matched
// against what `nft monitor trace` reports, for the request and for the reply; and the
// addresses the receiving socket sees (so NAT lands where the kernel puts it).

const unavailable = kernelUnavailable();
if (unavailable) console.log(`kernel differential tests skipped: ${unavailable}`);

let serial = 0;
// Every lab is built before the first flow, all at once: the veths' carriers (which the
// kernel raises about a second after both ends are up) then come up together.
const kernels: KernelLab[] = [];
beforeAll(async () => {
  if (unavailable !== null) return;
  for (const k of kernels) k.build();
  await Promise.all(kernels.map((k) => k.settle()));
}, 60_000);
afterAll(() => {
  for (const k of kernels) k.destroy();
});
function labSuite(title: string, lab: LabModel, flows: number[], world?: () => World) {
  describe.skipIf(unavailable !== null)(`kernel differential: ${title}`, () => {
    const kernel = new KernelLab(lab, `pw${process.pid}s${serial++}`);
    kernels.push(kernel);
    const runs: FlowRun[] = [];
    beforeAll(async () => {
      for (const i of flows) runs.push(await runFlow(kernel, i, lab, world));
    }, 30_000);

    flows.forEach((_, k) => {
      const spec = lab.flows[flows[k]!]!;
      const name = `${spec.from} → ${spec.to} ${spec.proto}`;
      it(`${name}: the receiving socket sees the same addresses`, () => {
        const run = runs[k]!;
        expect(run.kernelSeen).not.toBeNull();
        expect(run.engineSeen).toBe(run.kernelSeen);
      });
      it(`${name}: every namespace passes the same rules and policies, both ways`, () => {
        const run = runs[k]!;
        const both = stepsBothWays(run);
        expect(both.engine).toEqual(both.kernel);
        const withTables = lab.namespaces.filter((n) => n.iptables !== undefined).length;
        if (withTables > 0) expect(both.compared).toBeGreaterThan(0);
      });
    });
  });
}

const FILTER_ONLY = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p icmp -j ACCEPT
COMMIT
`;

// The seed's walk-through as it is (no tables: the kernel reports nothing, and neither may the
// engine), and again with a filter table in both namespaces so there is something to compare.
labSuite('netns walk-through (seed 000 §3), no tables', NETNS_WALKTHROUGH, [0]);
labSuite(
  'netns walk-through with a filter table in each namespace',
  {
    ...NETNS_WALKTHROUGH,
    namespaces: NETNS_WALKTHROUGH.namespaces.map((n) => ({ ...n, iptables: FILTER_ONLY })),
  },
  [0],
);

// Docker's bridge: container → container (bridged, br_netfilter) and container → the
// internet through MASQUERADE (the outside server must see the host's address).
labSuite('Docker bridge', dockerBridge(), [0, 1]);

/** A node-like ruleset: conntrack on (ctstate), a matched FORWARD rule, empty nat chains. */
const NODE_RULES = `*raw
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

// The cluster world (kube/world.ts) itself, carried over to the kernel device by device.
function clusterWorld(): World {
  const world = buildWorld(twoPodsOneNode());
  for (const ns of world.namespaces.values())
    if (restore(ns.netfilter, NODE_RULES, 'rules').length > 0) throw new Error('NODE_RULES');
  return world;
}
labSuite(
  'pod → pod across cni0 with br_netfilter (the default cluster)',
  labFromWorld(clusterWorld(), [
    {
      from: { kind: 'pod', namespace: 'default', name: 'web-a' },
      to: { kind: 'pod', namespace: 'default', name: 'web-b' },
      proto: 'tcp',
      port: 80,
    },
  ]),
  [0],
  clusterWorld,
);

// VXLAN: the echo and its reply are traced twice on each host, as the outer UDP datagram
// and as the inner packet once flannel.1 has unwrapped it (a new skb, marked again).
const INPUT_COUNTS = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p udp --dport 8472 -j ACCEPT
-A INPUT -i flannel.1 -j ACCEPT
-A OUTPUT -p udp --dport 8472 -j ACCEPT
COMMIT
`;
labSuite('flannel VXLAN between two hosts', flannelVxlan(INPUT_COUNTS), [0]);

// A routed hop: FORWARD on the router with a user chain that RETURNs, TCP, UDP and ICMP.
const ROUTER_RULES = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:CHECK - [0:0]
-A FORWARD -j CHECK
-A FORWARD -p tcp --dport 80 -j ACCEPT
-A FORWARD -p udp --dport 53 -j ACCEPT
-A FORWARD -p icmp -j ACCEPT
-A FORWARD -p tcp --sport 80 -j ACCEPT
-A FORWARD -p udp --sport 53 -j ACCEPT
-A CHECK -s 10.0.3.0/24 -j DROP
-A CHECK -j RETURN
COMMIT
`;
labSuite(
  'a router between two subnets (FORWARD, a user chain with RETURN)',
  routedLab((n) => (n.name === 'router' ? { ...n, iptables: ROUTER_RULES } : n)),
  [0, 1, 2],
);

// The hand-written ruleset: DNAT in PREROUTING (passing traffic) and OUTPUT (the router's
// own), SNAT in POSTROUTING, a user chain with RETURN, and a REJECT whose ICMP error walks back.
labSuite(
  'a hand-written ruleset on the router (DNAT, SNAT, RETURN, REJECT)',
  iptablesNatLab(),
  [0, 1, 2],
);
labSuite(
  'VXLAN with only default FDB entries (ARP inside VXLAN)',
  flannelVxlan(INPUT_COUNTS, true),
  [0],
);

// Physical NICs on one L2 segment (built as a bridge in a namespace of the harness's own).
labSuite('three hosts on one LAN segment', lanLab(FILTER_ONLY), [0, 1]);

// Where packets end when routes or sockets say no: blackhole (silent), unreachable and
// prohibit routes (ICMP from the router), closed TCP and UDP ports (RST, port unreachable).
const ROUTER_ACCEPT = ROUTER_RULES.replace(':FORWARD DROP', ':FORWARD ACCEPT');
const misrouted = routedLab((n) =>
  n.name === 'router'
    ? {
        ...n,
        iptables: ROUTER_ACCEPT,
        routes: [
          { to: '10.0.2.3', type: 'blackhole' },
          { to: '10.0.2.4', type: 'unreachable' },
          { to: '10.0.2.5', type: 'prohibit' },
        ],
      }
    : n.name === 'server' || n.name === 'client'
      ? { ...n, iptables: FILTER_ONLY }
      : n,
);
labSuite(
  'routes and sockets that refuse (blackhole, unreachable, prohibit, closed ports)',
  {
    ...misrouted,
    flows: [
      { from: 'node:client', to: 'ip:10.0.2.3', proto: 'udp', port: 53 },
      { from: 'node:client', to: 'ip:10.0.2.4', proto: 'tcp', port: 80 },
      { from: 'node:client', to: 'ip:10.0.2.5', proto: 'tcp', port: 80 },
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'tcp', port: 81 },
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'udp', port: 54 },
    ],
  },
  [0, 1, 2, 3, 4],
);

// Strict reverse-path filtering: the router believes the client lives behind eth1. It then
// ignores the client's ARP requests too, so the client knows the router's MAC statically.
labSuite(
  'strict rp_filter drops after PREROUTING',
  routedLab((n) =>
    n.name === 'client'
      ? { ...n, neighbours: [{ ip: '10.0.1.1', mac: labMac('router', 'eth0'), dev: 'eth0' }] }
      : n.name === 'router'
        ? {
            ...n,
            // raw PREROUTING shows the packet arriving; nothing after it may.
            iptables: `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n${ROUTER_ACCEPT}`,
            sysctls: { ...n.sysctls, 'net.ipv4.conf.all.rp_filter': '1' },
            routes: [{ to: '10.0.1.2', via: '10.0.2.2', dev: 'eth1' }],
          }
        : n,
  ),
  [2],
);

// Routing loops. Between router and server the TTL runs out after 63 forwards and the ICMP
// time-exceeded error walks back to the client. Sent back to the client itself, the packet
// is a martian there (its source is the client's own address) and dies at once.
const loop = (to: 'client' | 'server') =>
  routedLab((n) =>
    n.name === 'router'
      ? {
          ...n,
          iptables: ROUTER_ACCEPT,
          routes: [{ to: '10.0.9.0/24', via: to === 'client' ? '10.0.1.2' : '10.0.2.2' }],
        }
      : n.name === to
        ? {
            ...n,
            sysctls: { 'net.ipv4.ip_forward': '1' },
            routes: [
              ...n.routes,
              ...(to === 'server' ? [{ to: '10.0.9.0/24', via: '10.0.2.1' }] : []),
            ],
          }
        : n,
  );
for (const to of ['server', 'client'] as const)
  labSuite(
    `a routing loop through the ${to}`,
    {
      ...loop(to),
      flows: [{ from: 'node:client', to: 'ip:10.0.9.9', proto: 'icmp' }],
    },
    [0],
  );

// Without br_netfilter's call into iptables a bridged frame meets no IP hook on the host.
labSuite(
  'Docker bridge with bridge-nf-call-iptables=0',
  {
    ...dockerBridge(),
    namespaces: dockerBridge().namespaces.map((n) =>
      n.name === 'docker-host'
        ? { ...n, sysctls: { ...n.sysctls, 'net.bridge.bridge-nf-call-iptables': '0' } }
        : // The containers' own tables show the packet leaving and arriving.
          { ...n, iptables: FILTER_ONLY },
    ),
  },
  [0],
);

// Proxy ARP: the client believes 10.0.2.2 is on its own /16; the router answers for it.
labSuite(
  'proxy ARP on the router',
  routedLab((n) =>
    n.name === 'client'
      ? {
          ...n,
          interfaces: n.interfaces.map((i) => ({ ...i, addresses: ['10.0.1.2/16'] })),
          routes: [],
        }
      : n.name === 'router'
        ? {
            ...n,
            iptables: ROUTER_ACCEPT,
            sysctls: { ...n.sysctls, 'net.ipv4.conf.eth0.proxy_arp': '1' },
          }
        : n,
  ),
  [0, 2],
);
