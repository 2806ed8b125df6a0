import { beforeAll, describe, expect, it } from 'vitest';
import type { NamespaceView, TopologyView } from '../../protocol/messages';
import { focusPerStep, linkIndex, tunnelsUsed } from './focus';
import ELK from 'elkjs/lib/elk.bundled.js';
import { layoutTopology, type Layout } from './layout';
import { dev, node } from './layout.fixtures';

const elk = new ELK();

function pod(name: string, peer: string): NamespaceView {
  const id = `default/${name}`;
  return {
    id,
    node: 'node-1',
    kind: 'pod',
    devices: [dev(id, 'lo', 'loopback'), dev(id, 'eth0', 'veth', { peer: `node-1:${peer}` })],
    pod: { namespace: 'default', name, ip: '10.244.0.2', labels: {} },
  };
}

const TOPO: TopologyView = {
  nodes: [
    {
      name: 'node-1',
      kind: 'node',
      ip: '192.168.56.11',
      podCIDR: '10.244.0.0/24',
      namespaces: [
        {
          id: 'node-1',
          node: 'node-1',
          kind: 'root',
          devices: [
            dev('node-1', 'eth0', 'phys'),
            dev('node-1', 'cni0', 'bridge'),
            dev('node-1', 'vethb', 'veth', { master: 'cni0', peer: 'default/b:eth0' }),
            dev('node-1', 'vetha', 'veth', { master: 'cni0', peer: 'default/a:eth0' }),
          ],
        },
        pod('a', 'vetha'),
        pod('b', 'vethb'),
      ],
    },
  ],
  links: [
    { id: 'veth-a', kind: 'veth', a: 'default/a:eth0', b: 'node-1:vetha' },
    { id: 'veth-b', kind: 'veth', a: 'node-1:vethb', b: 'default/b:eth0' },
    { id: 'port-a', kind: 'bridge-port', a: 'node-1:vetha', b: 'node-1:cni0' },
    { id: 'wire', kind: 'wire', a: 'node-1:eth0', b: 'segment:lan' },
  ],
  segments: [{ id: 'segment:lan', name: 'lan', cidr: '192.168.56.0/24' }],
};

describe('topology layout', () => {
  let layout: Layout;
  beforeAll(async () => {
    layout = await layoutTopology(TOPO, elk);
  });
  const box = (id: string) => layout.byId.get(id)!;

  it('draws every namespace, device and segment once, inside its parent', () => {
    const ids = layout.boxes.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['host:node-1', 'default/a', 'default/b', 'node-1:cni0', 'segment:lan'])
      expect(ids).toContain(id);
    for (const b of layout.boxes) {
      if (!b.parent) continue;
      const p = box(b.parent);
      expect(b.x).toBeGreaterThanOrEqual(p.x);
      expect(b.y).toBeGreaterThanOrEqual(p.y);
      expect(b.x + b.w).toBeLessThanOrEqual(p.x + p.w);
      expect(b.y + b.h).toBeLessThanOrEqual(p.y + p.h);
    }
  });

  it('puts each host-side veth under its pod, the bridge below them, the NIC lowest', () => {
    const centre = (id: string) => box(id).x + box(id).w / 2;
    expect(centre('node-1:vetha')).toBeCloseTo(centre('default/a'));
    expect(centre('node-1:vethb')).toBeCloseTo(centre('default/b'));
    expect(box('node-1:vetha').y).toBeGreaterThan(box('default/a').y + box('default/a').h);
    expect(box('node-1:cni0').y).toBeGreaterThan(box('node-1:vetha').y);
    expect(box('node-1:eth0').y).toBeGreaterThan(box('node-1:cni0').y);
    expect(box('segment:lan').y).toBeGreaterThan(box('host:node-1').y + box('host:node-1').h);
  });

  it('orients every wire top to bottom, whichever end the engine named first', () => {
    for (const w of layout.wires) expect(box(w.source).y).toBeLessThan(box(w.target).y);
    expect(layout.wires.find((w) => w.id === 'veth-b')).toMatchObject({
      source: 'default/b:eth0',
      target: 'node-1:vethb',
    });
  });

  it('focus follows the devices the events name and stays put on rule steps', () => {
    const base = { dir: 'request' as const, node: 'node-1' };
    const focus = focusPerStep(
      [
        { ...base, i: 0, kind: 'send', ns: 'default/a', process: 'curl', socket: 's' },
        {
          ...base,
          i: 1,
          kind: 'transmit',
          ns: 'default/a',
          link: 'veth',
          from: { node: 'node-1', ns: 'default/a', dev: 'eth0' },
          to: { node: 'node-1', ns: 'node-1', dev: 'vetha' },
        },
        {
          ...base,
          i: 2,
          kind: 'hook',
          ns: 'node-1',
          hook: 'PREROUTING',
          family: 'bridge',
          dev: 'cni0',
        },
        {
          ...base,
          i: 3,
          kind: 'netfilter',
          ns: 'node-1',
          hook: 'PREROUTING',
          table: 'nat',
          chain: 'PREROUTING',
          rule: null,
          index: null,
          matched: true,
          verdict: 'ACCEPT',
        },
      ],
      (id) => layout.byId.has(id),
      linkIndex(TOPO.links),
    );
    expect(focus.map((f) => f.at)).toEqual([
      'default/a',
      'node-1:vetha',
      'node-1:cni0',
      'node-1:cni0',
    ]);
    expect(focus[1]).toMatchObject({ link: 'veth-a', via: 'default/a:eth0' });
  });
});

describe('a 10 node × 30 pod cluster', () => {
  const parts = Array.from({ length: 10 }, (_, n) => node(`node-${n + 1}`, 30));
  let layout: Layout;
  beforeAll(async () => {
    layout = await layoutTopology(
      {
        nodes: parts.map((p) => p.host),
        links: parts.flatMap((p) => p.links),
        segments: [{ id: 'segment:lan', name: 'lan', cidr: '192.168.56.0/24' }],
      },
      elk,
    );
  });

  it('keeps siblings from overlapping and wraps into a readable grid', () => {
    const byParent = new Map<string, typeof layout.boxes>();
    for (const b of layout.boxes) {
      const k = b.parent ?? '';
      byParent.set(k, [...(byParent.get(k) ?? []), b]);
    }
    for (const siblings of byParent.values())
      for (let i = 0; i < siblings.length; i++)
        for (let j = i + 1; j < siblings.length; j++) {
          const a = siblings[i]!;
          const b = siblings[j]!;
          const apart =
            a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
        }
    // Roughly as wide as tall, not one 80,000-pixel row; each node about as wide as tall
    // too (links that skip rows once made ELK widen a 30-pod node to 7,400 px).
    expect(layout.width / layout.height).toBeLessThan(3);
    for (const h of layout.boxes.filter((b) => b.kind === 'host'))
      expect(h.w / h.h, h.id).toBeLessThan(1.6);
    expect(layout.boxes.filter((b) => b.kind === 'ns')).toHaveLength(300);
  });
});

describe('tunnels a trace used', () => {
  it('pairs each encapsulation with the decapsulation after it', () => {
    const base = { dir: 'request' as const, node: 'n', packet: undefined };
    const links = linkIndex([
      { id: 't1', kind: 'tunnel', a: 'node-1:flannel.1', b: 'node-2:flannel.1' },
      { id: 't2', kind: 'tunnel', a: 'node-1:flannel.1', b: 'node-3:flannel.1' },
    ]);
    const used = tunnelsUsed(
      [
        {
          ...base,
          i: 0,
          kind: 'encap',
          ns: 'node-1',
          dev: 'flannel.1',
          tunnel: 'vxlan',
          overhead: 50,
        },
        {
          ...base,
          i: 1,
          kind: 'decap',
          ns: 'node-2',
          dev: 'flannel.1',
          tunnel: 'vxlan',
          overhead: 50,
        },
      ],
      links,
    );
    expect([...used]).toEqual(['t1']);
  });
});
