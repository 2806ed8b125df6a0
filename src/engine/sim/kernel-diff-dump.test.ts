import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabWorld } from '../kube/lab-world';
import { dockerBridge, flannelVxlan, lanLab, NETNS_WALKTHROUGH } from '../kube/labs';
import type { LabModel } from '../kube/lab-model';
import type { World } from '../kernel/world';
import { dump, type DumpWhat } from './dump';
import { runFlow } from './testing/diff';
import { kernelUnavailable, KernelLab } from './testing/kernel';

// What `ip` and `bridge` print in the real namespaces after a flow, held against the engine's
// dump of its world after the same flow. IPv6 and multicast lines are left out on the kernel
// side (the engine models IPv4 unicast), as are neighbour states (they age with real time).

const unavailable = kernelUnavailable();

const TOOLS: Record<
  Exclude<
    DumpWhat,
    'iptables-save' | 'iptables-list' | 'ipset' | 'ipvsadm' | 'conntrack' | 'bgp' | 'resolv'
  >,
  string[]
> = {
  routes: ['ip', '-4', 'route', 'show', 'table', 'all'],
  links: ['ip', '-br', 'link'],
  addrs: ['ip', '-br', '-4', 'addr'],
  neigh: ['ip', '-4', 'neigh'],
  fdb: ['bridge', 'fdb', 'show'],
};

function normalise(what: keyof typeof TOOLS, text: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .filter((l) => what !== 'fdb' || !/^(33:33|01:00:5e)/.test(l))
    .map((l) => (what === 'neigh' ? l.replace(/ [A-Z]+$/, '') : l));
  // The kernel lists neighbours in hash order.
  return what === 'neigh' ? lines.sort() : lines;
}

/** `ip -br -4 addr` lists only devices holding an IPv4 address. */
function engineLines(world: World, ns: string, what: keyof typeof TOOLS): string[] {
  const d = dump(world, ns, what);
  const lines = normalise(what, 'text' in d ? d.text : d.error);
  return what === 'addrs' ? lines.filter((l) => /\d+\.\d+\.\d+\.\d+\/\d+/.test(l)) : lines;
}

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
function dumpSuite(
  title: string,
  lab: LabModel,
  flow: number | null,
  tools: (keyof typeof TOOLS)[],
) {
  describe.skipIf(unavailable !== null)(`kernel differential dumps: ${title}`, () => {
    const kernel = new KernelLab(lab, `pd${process.pid}s${serial++}`);
    kernels.push(kernel);
    let world: World = buildLabWorld(lab);
    beforeAll(async () => {
      world = flow === null ? buildLabWorld(lab) : (await runFlow(kernel, flow, lab)).world;
    }, 30_000);
    for (const spec of lab.namespaces)
      for (const what of tools)
        it(`${spec.name}: ${TOOLS[what].join(' ')}`, () => {
          const real = normalise(what, kernel.exec(spec.name, ...TOOLS[what]));
          expect(engineLines(world, spec.name, what)).toEqual(real);
        });
  });
}

dumpSuite('netns walk-through', NETNS_WALKTHROUGH, 0, ['routes', 'links', 'addrs', 'neigh']);
dumpSuite('Docker bridge', dockerBridge(), 1, ['routes', 'links', 'addrs', 'neigh', 'fdb']);
dumpSuite('flannel VXLAN', flannelVxlan(), 0, ['routes', 'links', 'addrs', 'neigh', 'fdb']);
dumpSuite(
  'VXLAN with only default FDB entries (ARP inside VXLAN)',
  flannelVxlan(undefined, true),
  0,
  ['neigh', 'fdb'],
);

// Every kind of route `ip route add` takes, printed back by `ip -4 route show table all`.
const ROUTES: LabModel = {
  name: 'routes',
  namespaces: [
    {
      name: 'r1',
      sysctls: {},
      interfaces: [{ name: 'v0', type: 'veth', addresses: ['10.0.0.1/16'], peer: 'r2/v0' }],
      routes: [
        { to: '10.0.0.0/8', via: '10.0.0.254' },
        { to: '10.0.0.0/24', dev: 'v0', metric: 5 },
        { to: '10.0.0.0/24', dev: 'v0', metric: 3 },
        { to: '10.9.0.0/16', type: 'blackhole' },
        { to: '10.8.0.0/16', type: 'unreachable' },
        { to: '10.7.0.0/16', type: 'prohibit' },
        { to: 'default', via: '10.0.0.254', dev: 'v0', proto: 'static', metric: 100 },
        { to: '10.5.0.0/16', via: '10.0.0.9', dev: 'v0', onlink: true },
        { to: '10.6.0.0/16', dev: 'v0', src: '10.0.0.1', scope: 'link' },
        { to: '10.4.0.0/16', via: '10.0.0.9', proto: 'bird' },
        { to: '192.0.2.1', dev: 'v0' },
      ],
      neighbours: [{ ip: '10.0.0.254', mac: '02:00:00:00:00:fe', dev: 'v0' }],
      listeners: [],
    },
    {
      name: 'r2',
      sysctls: {},
      interfaces: [{ name: 'v0', type: 'veth', addresses: [] }],
      routes: [],
      neighbours: [],
      listeners: [],
    },
  ],
  flows: [],
};
dumpSuite('routes of every kind, a static neighbour', ROUTES, null, ['routes', 'neigh', 'links']);
// (`ip -br addr` would name the NICs eth0@ifN there: the harness builds them as veths.)
dumpSuite('three hosts on one LAN segment', lanLab(), 0, ['routes', 'neigh']);
