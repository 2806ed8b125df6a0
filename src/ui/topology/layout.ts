import type { ElkNode } from 'elkjs/lib/elk-api';
import type { TopologyView } from '../../protocol/messages';
import { hangingHosts, planCluster } from './layout-cluster';
import { hostMinWidth, planHost, readHost } from './layout-host';
import { routeAroundHosts } from './wire-routes';
import { hostOf, SIZES, type Box, type Layout, type Wire } from './layout-types';

export {
  centreOf,
  hostOf,
  isBus,
  SIZES,
  type Box,
  type BoxKind,
  type Layout,
  type Wire,
} from './layout-types';

/**
 * Where each box goes on the canvas: ELK lays out each host's interior (layout-host.ts), then
 * the hosts and segments of the cluster (layout-cluster.ts). Pure over the engine's topology
 * view and deterministic; ELK itself runs wherever `elk` runs it (a worker in the page, the
 * same thread in tests).
 */

export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Laid-out host graphs by their shape: identical nodes are laid out once. */
export type LayoutCache = Map<string, Promise<ElkNode>>;

const CACHE_LIMIT = 64;

function laidOut(elk: ElkLike, graph: ElkNode, cache: LayoutCache): Promise<ElkNode> {
  const key = JSON.stringify(graph);
  let hit = cache.get(key);
  if (!hit) {
    // ELK writes its answer into the graph it is given.
    hit = elk.layout(structuredClone(graph));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** Stretches each segment under the hosts wired to it, unless that would cover a neighbour. */
function stretchSegments(segs: Box[], members: Map<string, Box[]>): void {
  for (const s of segs) {
    const m = members.get(s.id) ?? [];
    if (!m.length) continue;
    const x = Math.min(s.x, ...m.map((b) => b.x));
    const right = Math.max(s.x + s.w, ...m.map((b) => b.x + b.w));
    const clash = segs.some((o) => o !== s && o.y === s.y && o.x < right && o.x + o.w > x);
    if (!clash) Object.assign(s, { x, w: right - x });
  }
}

/**
 * Each row of hosts starts at the left edge, in ELK's order: wrapped rows read like a grid,
 * and the aisles between hosts line up for the wires that drop past them. Hosts above their
 * segment stand on it (bottoms aligned, so their uplink and tunnel rows line up); hosts under
 * it hang from it (tops aligned).
 */
function leftAligned(
  hosts: ElkNode[],
  rowOf: Map<string, number>,
  standing: Set<string>,
): Map<string, { x: number; y: number }> {
  const rows = new Map<number, ElkNode[]>();
  for (const h of hosts) {
    const r = rowOf.get(h.id) ?? 0;
    rows.set(r, [...(rows.get(r) ?? []), h]);
  }
  const out = new Map<string, { x: number; y: number }>();
  for (const row of rows.values()) {
    const top = Math.min(...row.map((h) => h.y ?? 0));
    const bottom = Math.max(...row.map((h) => (h.y ?? 0) + (h.height ?? 0)));
    let x = 0;
    for (const h of row.sort((a, b) => (a.x ?? 0) - (b.x ?? 0))) {
      out.set(h.id, { x, y: standing.has(h.id) ? bottom - (h.height ?? 0) : top });
      x += (h.width ?? 0) + SIZES.hostGap;
    }
  }
  return out;
}

export async function layoutTopology(
  topo: TopologyView,
  elk: ElkLike,
  cache: LayoutCache = new Map(),
): Promise<Layout> {
  const hanging = hangingHosts(topo);
  const plans = topo.nodes.map((h) => planHost(h, topo.links, hanging.has(h.name)));
  const hostGraphs = await Promise.all(plans.map((p) => laidOut(elk, p.graph, cache)));
  const sizes = new Map(
    plans.map((p, i) => [
      p.host.name,
      {
        w: Math.max(hostGraphs[i]!.width ?? 0, hostMinWidth(p.host)),
        h: hostGraphs[i]!.height ?? 0,
      },
    ]),
  );
  const cluster = planCluster(topo, sizes);
  const laid = await elk.layout(structuredClone(cluster.graph));

  const boxes: Box[] = [];
  const hostBox = new Map<string, Box>();
  const segs: Box[] = [];
  const at = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const idOfHost = new Map([...cluster.hosts].map(([id, h]) => [h, id]));
  const origin = leftAligned(
    [...cluster.hosts.keys()].map((id) => at.get(id)!),
    cluster.rowOf,
    cluster.standing,
  );
  plans.forEach((plan, i) => {
    const id = idOfHost.get(plan.host);
    const o = id ? origin.get(id) : undefined;
    const part = readHost(plan, hostGraphs[i]!, o?.x ?? 0, o?.y ?? 0);
    hostBox.set(plan.host.name, part.boxes[0]!);
    boxes.push(...part.boxes);
  });
  for (const [id, segId] of cluster.segments) {
    const c = at.get(id)!;
    const name = segId.slice('segment:'.length);
    const seg = topo.segments.find((s) => s.name === name);
    const box: Box = {
      id: segId,
      kind: 'segment',
      x: c.x ?? 0,
      y: c.y ?? 0,
      w: c.width ?? 0,
      h: c.height ?? SIZES.segmentH,
      segment: { name, cidr: seg?.cidr ?? null },
    };
    segs.push(box);
    boxes.push(box);
  }

  const byId = new Map(boxes.map((b) => [b.id, b]));
  const members = new Map<string, Box[]>();
  for (const l of topo.links) {
    if (l.kind !== 'wire') continue;
    const [dev, seg] = l.b.startsWith('segment:') ? [l.a, l.b] : [l.b, l.a];
    const h = hostOf({ byId }, byId.get(dev));
    if (h) members.set(seg, [...(members.get(seg) ?? []), h]);
  }
  stretchSegments(segs, members);

  const wires: Wire[] = [];
  for (const l of topo.links) {
    const a = byId.get(l.a);
    const b = byId.get(l.b);
    if (!a || !b) continue;
    const [source, target] = a.y <= b.y ? [l.a, l.b] : [l.b, l.a];
    wires.push({ id: l.id, kind: l.kind, source, target });
  }
  routeAroundHosts(
    wires,
    byId,
    boxes.filter((b) => b.kind === 'host'),
    (b) => hostOf({ byId }, b),
  );
  // A wire routed down an aisle beyond the segment's end still lands on it.
  for (const w of wires) {
    const seg = w.bends && byId.get(w.target);
    const x = w.bends?.at(-1)?.x;
    if (!seg || x === undefined) continue;
    const left = Math.min(seg.x, x - 24);
    const right = Math.max(seg.x + seg.w, x + 24);
    Object.assign(seg, { x: left, w: right - left });
  }
  const width = Math.max(400, ...boxes.map((b) => b.x + b.w));
  const height = Math.max(0, ...boxes.map((b) => b.y + b.h));
  return { boxes, wires, byId, width, height };
}
