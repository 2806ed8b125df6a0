import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalicoModel, NetworkModel, NodeModel } from '../model';
import { bgpEvents, bgpExchange } from './calico-bgp';
import { selects } from './calico-selector';

function net(mesh: boolean, peers: CalicoModel['peers']): NetworkModel {
  return {
    clusterCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/12',
    cni: 'calico',
    bridgeName: 'cni0',
    brNetfilter: true,
    underlayCIDR: '192.168.56.0/24',
    calico: {
      pool: {
        cidr: '10.244.0.0/16',
        ipipMode: 'Never',
        vxlanMode: 'Never',
        natOutgoing: true,
        blockSize: 26,
      },
      mesh,
      asNumber: 64512,
      peers,
    },
  };
}

function nodes(n: number, reflectors: Set<number>): NodeModel[] {
  return Array.from({ length: n }, (_, i): NodeModel => ({
    name: `node-${i + 1}`,
    internalIP: `192.168.56.${11 + i}`,
    podCIDR: `10.244.${i}.0/26`,
    labels: reflectors.has(i) ? { 'route-reflector': 'true' } : ({} as Record<string, string>),
    schedulable: true,
    ...(reflectors.has(i) ? { routeReflectorClusterID: '244.0.0.1' } : {}),
  }));
}

const TO_RRS = [{ name: 'rr', nodeSelector: 'all()', peerSelector: "route-reflector == 'true'" }];

describe('Calico selectors', () => {
  it.each([
    ['all()', {}, true],
    ["route-reflector == 'true'", { 'route-reflector': 'true' }, true],
    ["route-reflector == 'true'", { 'route-reflector': 'false' }, false],
    ['has(rack)', { rack: 'a' }, true],
    ['!has(rack)', { rack: 'a' }, false],
    ["has(rack) && rack != 'b'", { rack: 'a' }, true],
    ['rack in {"a"}', { rack: 'a' }, false],
  ] as const)('%s on %j: %s', (sel, labels, want) => {
    expect(selects(sel, labels)).toBe(want);
  });
});

describe('BGP exchange', () => {
  it('the full mesh: n-1 sessions per node, every other block learned from its owner', () => {
    const ns = nodes(4, new Set());
    const state = bgpExchange(net(true, []), ns);
    for (const n of ns) {
      const s = state.get(n.name)!;
      expect(s.sessions).toHaveLength(3);
      expect(s.learned.every((r) => r.from === r.origin)).toBe(true);
      expect(s.learned.map((r) => r.prefix).sort()).toEqual(
        ns
          .filter((o) => o !== n)
          .map((o) => o.podCIDR)
          .sort(),
      );
    }
  });

  it('without the mesh, iBGP does not pass on what it learned unless it reflects', () => {
    // A chain node-1 — node-2 — node-3 of plain peers: node-1 never hears of node-3.
    const ns = nodes(3, new Set());
    const peers = [
      { name: 'a', nodeSelector: "kubernetes.io/hostname == 'node-2'", peerSelector: 'all()' },
    ];
    const labelled = ns.map((n) => ({ ...n, labels: { 'kubernetes.io/hostname': n.name } }));
    const s = bgpExchange(net(false, peers), labelled);
    expect(s.get('node-1')!.learned.map((r) => r.origin)).toEqual(['node-2']);
  });

  it('with route reflectors every node learns every block, next hop its originator', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 3 }),
        (n, picks) => {
          const rrs = new Set(picks.map((p) => p % n));
          const ns = nodes(n, rrs);
          const state = bgpExchange(net(false, TO_RRS), ns);
          for (const node of ns) {
            const s = state.get(node.name)!;
            // Clients peer with the reflectors only.
            if (!rrs.has(ns.indexOf(node)))
              expect(s.sessions.map((x) => x.peer).sort()).toEqual(
                ns
                  .filter((_, i) => rrs.has(i))
                  .map((x) => x.name)
                  .sort(),
              );
            expect(s.learned.map((r) => r.prefix).sort()).toEqual(
              ns
                .filter((o) => o !== node)
                .map((o) => o.podCIDR)
                .sort(),
            );
            for (const r of s.learned)
              expect(r.nextHop).toBe(ns.find((o) => o.name === r.origin)!.internalIP);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the exchange as events', () => {
  it('every block is announced once, then learned by every other node once, in spreading order', () => {
    const rr = [{ name: 'rr', nodeSelector: 'all()', peerSelector: "route-reflector == 'true'" }];
    const ns = nodes(4, new Set([0]));
    const ev = bgpEvents(net(false, rr as CalicoModel['peers']), ns);
    const announces = ev.filter((e) => e.kind === 'announce');
    expect(announces.map((e) => e.node)).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    const learns = ev.filter((e) => e.kind === 'learn');
    expect(learns).toHaveLength(4 * 3);
    // node-3 learns node-2's block from the reflector node-1, with node-2 still the next hop.
    const reflected = learns.find((e) => e.node === 'node-3' && e.prefix === '10.244.1.0/26');
    expect(reflected).toMatchObject({ from: 'node-1', origin: 'node-2', nextHop: '192.168.56.12' });
    // A route is learned only after the one who passed it on had it.
    const seen = new Map<string, number>();
    ev.forEach((e, i) => seen.set(`${e.node}|${e.prefix}`, i));
    for (const e of learns)
      if (e.kind === 'learn' && e.from !== e.origin)
        expect(seen.get(`${e.from}|${e.prefix}`)!).toBeLessThan(seen.get(`${e.node}|${e.prefix}`)!);
  });
});
