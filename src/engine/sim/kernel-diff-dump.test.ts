import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabWorld } from '../kube/lab-world';
import { dockerBridge, flannelVxlan, NETNS_WALKTHROUGH } from '../kube/labs';
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
  Exclude<DumpWhat, 'iptables-save' | 'iptables-list' | 'ipset' | 'ipvsadm' | 'conntrack' | 'bgp'>,
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
function dumpSuite(title: string, lab: LabModel, flow: number, tools: (keyof typeof TOOLS)[]) {
  describe.skipIf(unavailable !== null)(`kernel differential dumps: ${title}`, () => {
    const kernel = new KernelLab(lab, `pd${process.pid % 100000}${serial++}`);
    let world: World = buildLabWorld(lab);
    beforeAll(async () => {
      kernel.build();
      world = (await runFlow(kernel, flow, lab)).world;
    }, 30_000);
    afterAll(() => kernel.destroy());
    for (const spec of lab.namespaces)
      for (const what of tools)
        it(`${spec.name}: ${TOOLS[what].join(' ')}`, () => {
          const real = normalise(what, kernel.exec(spec.name, ...TOOLS[what]));
          expect(engineLines(world, spec.name, what)).toEqual(real);
        });
  });
}

dumpSuite('netns walk-through', NETNS_WALKTHROUGH, 0, ['routes', 'links', 'addrs', 'neigh']);
dumpSuite('Docker bridge', dockerBridge(), 1, ['routes', 'addrs', 'neigh', 'fdb']);
dumpSuite('flannel VXLAN', flannelVxlan(), 0, ['routes', 'links', 'addrs', 'neigh', 'fdb']);
