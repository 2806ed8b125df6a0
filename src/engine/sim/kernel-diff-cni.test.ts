import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../kernel/world';
import { buildWorld } from '../kube/world';
import type { ClusterModel } from '../kube/model';
import { dump, type DumpWhat } from './dump';
import { runFlow, stepsBothWays, type FlowRun } from './testing/diff';
import { labFromWorld } from './testing/from-world';
import { kernelUnavailable, KernelLab } from './testing/kernel';
import { calicoTwoNodes, twoNodes, twoNodesTwoSubnets } from './testing/models';

// A cluster as the engine builds it (kube/world.ts + kube/cni), carried device by
// device into real namespaces: two nodes joined by a cable, the CNI's devices, routes,
// neighbour and FDB entries, and its iptables rules. web-a (node-1) pings web-b (node-2): compared are the rules and policies every namespace passes, both ways, the
// addresses the server's socket sees, and what ip/bridge print on both nodes afterwards.

const unavailable = kernelUnavailable();
if (unavailable) console.log(`kernel differential tests skipped: ${unavailable}`);

const FLOW = {
  from: { kind: 'pod', namespace: 'default', name: 'web-a' },
  to: { kind: 'pod', namespace: 'default', name: 'web-b' },
  // One echo and its reply: the outer datagrams of a TCP connection's later segments carry
  // the same addresses and ports as the SYN's, so the kernel's trace could not tell them apart.
  proto: 'icmp',
} as const;

const TOOLS: Partial<Record<DumpWhat, string[]>> = {
  routes: ['ip', '-4', 'route', 'show', 'table', 'all'],
  addrs: ['ip', '-br', '-4', 'addr'],
  neigh: ['ip', '-4', 'neigh'],
  fdb: ['bridge', 'fdb', 'show'],
};

function lines(what: DumpWhat, text: string): string[] {
  const out = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .filter((l) => what !== 'fdb' || !/^(33:33|01:00:5e)/.test(l))
    .filter((l) => what !== 'addrs' || /\d+\.\d+\.\d+\.\d+\/\d+/.test(l))
    .map((l) => (what === 'neigh' ? l.replace(/ [A-Z]+$/, '') : l))
    // The lab joins the two nodes' NICs with a veth pair, which ip names eth0@ifN.
    .map((l) => l.replace(/^eth0@if\d+ */, 'eth0 ').replace(/ +/g, ' '));
  // The kernel lists neighbours and bridge FDB entries in hash order, and the lab creates
  // devices in another order than a node does (veth pairs first).
  return what === 'neigh' || what === 'fdb' ? out.sort() : out;
}

let serial = 0;
function clusterSuite(title: string, model: () => ClusterModel) {
  const world = (): World => buildWorld(model());
  const lab = labFromWorld(world(), [FLOW]);
  describe.skipIf(unavailable !== null)(`kernel differential: ${title}`, () => {
    const kernel = new KernelLab(lab, `pc${process.pid % 100000}${serial++}`);
    let run: FlowRun;
    beforeAll(async () => {
      kernel.build();
      run = await runFlow(kernel, 0, lab, world);
    }, 30_000);
    afterAll(() => kernel.destroy());

    it('the server socket sees the same addresses', () => {
      expect(run.kernelSeen).not.toBeNull();
      expect(run.engineSeen).toBe(run.kernelSeen);
    });
    it('every namespace passes the same rules and policies, both ways', () => {
      const both = stepsBothWays(run);
      expect(both.engine).toEqual(both.kernel);
      // flanneld's FLANNEL-FWD and FLANNEL-POSTRTG rules match on both nodes.
      expect(both.compared).toBeGreaterThan(8);
    });
    for (const node of ['node-1', 'node-2'])
      for (const [what, argv] of Object.entries(TOOLS) as [DumpWhat, string[]][])
        it(`${node}: ${argv.join(' ')}`, () => {
          const d = dump(run.world, node, what);
          expect(lines(what, 'text' in d ? d.text : d.error)).toEqual(
            lines(what, kernel.exec(node, ...argv)),
          );
        });
  });
}

clusterSuite('flannel VXLAN cluster, pod → pod across nodes', () => twoNodes('vxlan'));
clusterSuite('flannel host-gw cluster, pod → pod across nodes', () => twoNodes('host-gw'));
// The outer VXLAN packet routed by a router between two subnets (ip_forward=1, no rules).
clusterSuite('flannel VXLAN across a router, pod → pod across subnets', () =>
  twoNodesTwoSubnets('vxlan'),
);

// The routed attachment: cali veths with proxy ARP for 169.254.1.1, /32 routes, a blackhole
// per block, and the routes BIRD would learn over BGP installed as static `proto bird` routes.
clusterSuite('Calico routed (BGP routes installed statically), pod → pod across nodes', () =>
  calicoTwoNodes(),
);
