import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { describe, expect, it } from 'vitest';
import type { TopologyView } from '../../protocol/messages';
import { layoutTopology, type Box, type Layout } from './layout';
import { node, router } from './layout.fixtures';

const elk = new ELK();

function topology(parts: ReturnType<typeof node>[], segments: string[]): TopologyView {
  return {
    nodes: parts.map((p) => p.host),
    links: parts.flatMap((p) => p.links),
    segments: segments.map((name) => ({ id: `segment:${name}`, name, cidr: '192.168.56.0/24' })),
  };
}

const bottom = (b: Box) => b.y + b.h;
const box = (l: Layout, id: string) => l.byId.get(id)!;

describe('the cluster, laid out by ELK', () => {
  it('puts the nodes above their LAN and outside machines under it', async () => {
    const l = await layoutTopology(
      topology(
        [node('node-1', 8), node('node-2', 1), node('laptop', 0, 'lan', 'outside')],
        ['lan'],
      ),
      elk,
    );
    const lan = box(l, 'segment:lan');
    // Hosts of different heights side by side: apart, and standing on the LAN together.
    const hosts = l.boxes.filter((b) => b.kind === 'host');
    for (const a of hosts)
      for (const b of hosts)
        if (a !== b)
          expect(
            a.x + a.w <= b.x || b.x + b.w <= a.x || bottom(a) <= b.y || bottom(b) <= a.y,
            `${a.id} overlaps ${b.id}`,
          ).toBe(true);
    expect(box(l, 'host:node-1').h).not.toBe(box(l, 'host:node-2').h);
    expect(bottom(box(l, 'host:node-1'))).toBe(bottom(box(l, 'host:node-2')));
    expect(bottom(box(l, 'host:node-1'))).toBeLessThan(lan.y);
    expect(bottom(box(l, 'host:node-2'))).toBeLessThan(lan.y);
    expect(box(l, 'host:laptop').y).toBeGreaterThan(bottom(lan));
    // The segment runs under every host wired to it.
    for (const h of ['node-1', 'node-2', 'laptop']) {
      expect(box(l, `host:${h}`).x).toBeGreaterThanOrEqual(lan.x);
      expect(box(l, `host:${h}`).x + box(l, `host:${h}`).w).toBeLessThanOrEqual(lan.x + lan.w);
    }
  });

  it('stacks a segment behind a router under that router, with its own nodes under it', async () => {
    const l = await layoutTopology(
      topology(
        [node('a1', 1, 'rack-a'), router('tor', ['rack-a', 'rack-b']), node('b1', 1, 'rack-b')],
        ['rack-a', 'rack-b'],
      ),
      elk,
    );
    const [a, b] = [box(l, 'segment:rack-a'), box(l, 'segment:rack-b')];
    expect(bottom(box(l, 'host:a1'))).toBeLessThan(a.y);
    expect(box(l, 'host:tor').y).toBeGreaterThan(bottom(a));
    expect(b.y).toBeGreaterThan(bottom(box(l, 'host:tor')));
    expect(box(l, 'host:b1').y).toBeGreaterThan(bottom(b));
    // A node hanging under its segment is drawn upside down: its NIC on top, near the
    // segment, its pods at the bottom — the way out of a pod still leads to the segment.
    expect(box(l, 'b1:eth0').y).toBeLessThan(box(l, 'b1:cni0').y);
    expect(box(l, 'b1:cni0').y).toBeLessThan(box(l, 'b1:veth0').y);
    expect(box(l, 'b1:veth0').y).toBeLessThan(box(l, 'default/b1-p0').y);
    expect(box(l, 'default/b1-p0:eth0').y).toBeLessThan(box(l, 'default/b1-p0').y + 20);
    expect(box(l, 'default/b1-p0').flipped).toBe(true);
    expect(box(l, 'default/a1-p0').flipped).toBeUndefined();
    for (const w of l.wires) expect(box(l, w.source).y).toBeLessThan(box(l, w.target).y);
  });

  it('wraps ten nodes into rows and routes the upper rows’ wires down the aisles', async () => {
    const parts = Array.from({ length: 10 }, (_, i) => node(`node-${i + 1}`, 3));
    const l = await layoutTopology(topology(parts, ['lan']), elk);
    const hosts = l.boxes.filter((b) => b.kind === 'host');
    expect(new Set(hosts.map((h) => h.y)).size).toBe(3);
    const lan = box(l, 'segment:lan');
    for (const w of l.wires.filter((x) => x.kind === 'wire')) {
      const dev = box(l, w.source);
      const own = hosts.find((h) => dev.parent === h.id)!;
      const points = [
        { x: dev.x + dev.w / 2, y: dev.y + dev.h },
        ...(w.bends ?? []),
        { x: (w.bends?.at(-1) ?? { x: dev.x + dev.w / 2 }).x, y: lan.y },
      ];
      // No leg of the route crosses another host.
      for (let i = 1; i < points.length; i++) {
        const [p, q] = [points[i - 1]!, points[i]!];
        for (const h of hosts) {
          if (h === own) continue;
          const crossesX = Math.max(p.x, q.x) > h.x && Math.min(p.x, q.x) < h.x + h.w;
          const crossesY = Math.max(p.y, q.y) > h.y && Math.min(p.y, q.y) < bottom(h);
          expect(crossesX && crossesY, `${w.id} crosses ${h.id}`).toBe(false);
        }
      }
      expect(points.at(-1)!.x).toBeGreaterThan(lan.x);
      expect(points.at(-1)!.x).toBeLessThan(lan.x + lan.w);
    }
  });

  it('lays out nodes of the same shape once', async () => {
    let calls = 0;
    const counting = { layout: (g: ElkNode) => (calls++, elk.layout(g)) };
    const parts = Array.from({ length: 6 }, (_, i) => node(`node-${i + 1}`, 4));
    const cache = new Map();
    await layoutTopology(topology(parts, ['lan']), counting, cache);
    expect(calls).toBe(2); // one host shape, one cluster
    await layoutTopology(topology(parts, ['lan']), counting, cache);
    expect(calls).toBe(3);
  });

  it('is deterministic', async () => {
    const topo = topology([node('node-1', 5), node('node-2', 2)], ['lan']);
    const strip = (l: Layout) => l.boxes.map(({ id, x, y, w, h }) => [id, x, y, w, h]);
    expect(strip(await layoutTopology(topo, elk))).toEqual(strip(await layoutTopology(topo, elk)));
  });
});
