import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { NodeView, TopologyView } from '../../protocol/messages';
import { SIZES } from './layout-types';

/**
 * The cluster as an ELK graph of whole hosts and underlay segments, drawn the way network
 * diagrams are: the nodes above the LAN they share, outside machines (clients, load
 * balancers, routers) under it, a segment behind a router under that router, and that
 * segment's own nodes under it. The rows are ELK partitions; ELK orders and spaces the boxes
 * in each row so the wires to the segment stay short.
 */

const { hostGap, segmentH } = SIZES;

/** Hosts per row of the canvas, so ten nodes do not make one 16,000-pixel row. */
export const MAX_HOST_COLS = 4;

export interface ClusterPlan {
  graph: ElkNode;
  /** ELK id → host name or segment id. */
  hosts: Map<string, NodeView>;
  segments: Map<string, string>;
  /** ELK id → its row (partition), top to bottom. */
  rowOf: Map<string, number>;
  /** Hosts drawn above the segment they are wired to (they stand on it). */
  standing: Set<string>;
}

/** The segments each host's NICs are wired to, in the order of the engine's links. */
function wiresOf(topo: TopologyView): Map<string, string[]> {
  const devHost = new Map<string, string>();
  for (const h of topo.nodes)
    for (const ns of h.namespaces) for (const d of ns.devices) devHost.set(d.id, h.name);
  const out = new Map<string, string[]>();
  for (const l of topo.links) {
    if (l.kind !== 'wire') continue;
    const [dev, seg] = l.b.startsWith('segment:') ? [l.a, l.b] : [l.b, l.a];
    const host = devHost.get(dev);
    if (!host || !seg.startsWith('segment:')) continue;
    const list = out.get(host) ?? [];
    if (!list.includes(seg)) list.push(seg);
    out.set(host, list);
  }
  return out;
}

/** How many routers away from the first segment each segment is (its row band). */
function segmentRanks(segments: string[], wires: Map<string, string[]>): Map<string, number> {
  const rank = new Map<string, number>();
  let next = 0;
  for (const start of segments) {
    if (rank.has(start)) continue;
    rank.set(start, next);
    const queue = [start];
    while (queue.length) {
      const s = queue.shift()!;
      for (const segs of wires.values()) {
        if (!segs.includes(s)) continue;
        for (const t of segs)
          if (!rank.has(t)) {
            rank.set(t, rank.get(s)! + 1);
            queue.push(t);
          }
      }
    }
    next = Math.max(...rank.values()) + 1;
  }
  return rank;
}

interface Placement {
  wires: Map<string, string[]>;
  segIds: string[];
  rank: Map<string, number>;
  bands: number;
  /** The nodes of the first LAN, above it. */
  above: NodeView[];
  /** Per band: the hosts under its segment. */
  below: NodeView[][];
}

function placement(topo: TopologyView): Placement {
  const wires = wiresOf(topo);
  const segIds = [...new Set([...wires.values()].flat())];
  // The first segment is the one the first node is on; then the engine's order.
  const order = (seg: string) => {
    const i = topo.nodes.findIndex((h) => wires.get(h.name)?.includes(seg));
    return i < 0 ? topo.nodes.length : i;
  };
  segIds.sort((a, b) => order(a) - order(b));
  const rank = segmentRanks(segIds, wires);
  const bands = Math.max(0, ...rank.values()) + 1;
  const above: NodeView[] = [];
  const below: NodeView[][] = Array.from({ length: bands }, () => []);
  for (const h of topo.nodes) {
    const segs = wires.get(h.name) ?? [];
    const home = Math.min(...segs.map((s) => rank.get(s)!));
    if (!segs.length || (home === 0 && h.kind === 'node')) above.push(h);
    else below[home]!.push(h);
  }
  return { wires, segIds, rank, bands, above, below };
}

/**
 * Hosts drawn under the segment they hang from (outside machines, routers, the nodes of a
 * segment behind a router): their interior is drawn upside down, uplink on top.
 */
export function hangingHosts(topo: TopologyView): Set<string> {
  return new Set(
    placement(topo)
      .below.flat()
      .map((h) => h.name),
  );
}

export function planCluster(
  topo: TopologyView,
  sizes: Map<string, { w: number; h: number }>,
): ClusterPlan {
  const { wires, segIds, rank, bands, above, below } = placement(topo);

  const hosts = new Map<string, NodeView>();
  const segments = new Map<string, string>();
  const children: ElkNode[] = [];
  const partOf = new Map<string, number>();
  let partition = 0;
  const place = (id: string, w: number, h: number, p: number) => {
    partOf.set(id, p);
    children.push({
      id,
      width: w,
      height: h,
      layoutOptions: { 'elk.partitioning.partition': String(p) },
    });
  };
  const standing = new Set<string>();
  const placeHosts = (list: NodeView[], above = false) => {
    list.forEach((h, i) => {
      const id = `h${hosts.size}`;
      hosts.set(id, h);
      if (above) standing.add(id);
      const size = sizes.get(h.name) ?? { w: 0, h: 0 };
      place(id, size.w, size.h, partition + Math.floor(i / MAX_HOST_COLS));
    });
    if (list.length) partition += Math.ceil(list.length / MAX_HOST_COLS);
  };
  placeHosts(above, true);
  for (let band = 0; band < bands; band++) {
    const segs = segIds.filter((s) => rank.get(s) === band);
    for (const s of segs) {
      const id = `s${segments.size}`;
      segments.set(id, s);
      // A placeholder width: the segment is stretched under its hosts afterwards.
      place(id, 320, segmentH, partition);
    }
    if (segs.length) partition += 1;
    placeHosts(below[band]!);
  }

  // Every wire, oriented from the upper row to the lower one, lets ELK line hosts up with
  // their segment.
  const idOfHost = new Map([...hosts].map(([id, h]) => [h.name, id]));
  const idOfSeg = new Map([...segments].map(([id, s]) => [s, id]));
  const edges: ElkExtendedEdge[] = [];
  for (const [host, segs] of wires)
    for (const s of segs) {
      const a = idOfHost.get(host)!;
      const b = idOfSeg.get(s)!;
      const [src, dst] = partOf.get(a)! < partOf.get(b)! ? [a, b] : [b, a];
      edges.push({ id: `w${edges.length}`, sources: [src], targets: [dst] });
    }

  return {
    hosts,
    segments,
    rowOf: partOf,
    standing,
    graph: {
      id: 'cluster',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'DOWN',
        'elk.partitioning.activate': 'true',
        'elk.separateConnectedComponents': 'false',
        'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
        'elk.spacing.nodeNode': String(hostGap),
        'elk.layered.spacing.nodeNodeBetweenLayers': '70',
        'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      },
      children,
      edges,
    },
  };
}
