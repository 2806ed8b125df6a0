import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { DeviceView, LinkView, NodeView } from '../../protocol/messages';
import { SIZES, type Box } from './layout-types';

/**
 * One host's interior as an ELK graph. ELK's layered algorithm places the boxes top to
 * bottom in the order a packet leaves a pod — namespace (with its host-side veth right under
 * it), the bridge, the tunnel devices, the uplink NIC — and orders and spaces them so links
 * stay short. Rows are ELK partitions: namespaces wrap into rows of at most MAX_COLS so a
 * 30-pod node stays about as wide as tall.
 *
 * The graph uses local ids (`n0`, `n1`…) so two hosts with the same shape make the same graph,
 * and a cache can lay out a 10-node cluster of identical nodes once.
 */

const { nsW, nsH, devW, devH, gap, pad, header, rowGap, hostMinW } = SIZES;

/** Namespaces per row inside a host, before the row wraps. */
export const MAX_COLS = 6;

type Row = 'veth' | 'bridge' | 'tunnel' | 'uplink';

/** Which row of a host a root-namespace device sits on. */
function rowOf(d: DeviceView): Row {
  if (d.kind === 'veth') return 'veth';
  if (d.kind === 'bridge' || d.kind === 'dummy') return 'bridge';
  // Tunnel devices get a row of their own, so the dashed links between VTEPs run clear.
  if (d.kind === 'vxlan' || d.kind === 'ipip' || d.kind === 'tun') return 'tunnel';
  return 'uplink';
}

/** A namespace drawn with the host-side end of its veth under it. */
interface Cell {
  nsIndex: number;
  veth?: DeviceView;
}

export interface HostPlan {
  host: NodeView;
  /** The ELK graph, with local ids only. */
  graph: ElkNode;
  /** Local id → what it stands for. */
  cells: Map<string, Cell>;
  devices: Map<string, DeviceView>;
  /** Bridge-like devices that may be stretched across the host when alone on their row. */
  wide: Set<string>;
  /** Drawn upside down (uplink on top): a host hanging under its segment. */
  flipped: boolean;
}

const BRIDGE_W = devW * 1.6;

/** The height of one line of a load balancer's listeners under its title. */
export const BALANCE_LINE = 20;

const HOST_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.partitioning.activate': 'true',
  'elk.separateConnectedComponents': 'false',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // The model order fixes each row's order already; more sweeps only cost time.
  'elk.layered.thoroughness': '1',
  'elk.spacing.nodeNode': String(gap),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(rowGap),
  'elk.padding': `[top=${header},left=${gap},bottom=${pad},right=${gap}]`,
};

/**
 * A host-shaped graph for ELK's first runs (four rows of pods over a bridge, a tunnel device
 * and the NIC): the first layered layouts in a fresh worker pay for compiling the algorithm,
 * better while the engine is still simulating.
 */
export function warmUpGraph(): ElkNode {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  const n = (p: number, width = devW) => {
    const id = `n${children.length}`;
    children.push({
      id,
      width,
      height: devH,
      layoutOptions: { 'elk.partitioning.partition': String(p) },
    });
    return id;
  };
  const cells = Array.from({ length: 24 }, (_, i) => n(Math.floor(i / MAX_COLS), nsW));
  const [bridge, tunnel, nic] = [n(4, BRIDGE_W), n(5), n(6)];
  n(6);
  const edge = (a: string, b: string) =>
    edges.push({ id: `e${edges.length}`, sources: [a], targets: [b] });
  for (const c of cells.slice(-MAX_COLS)) edge(c, bridge!);
  edge(bridge!, tunnel!);
  edge(tunnel!, nic!);
  return { id: 'warm-up', layoutOptions: HOST_OPTIONS, children, edges };
}

export function planHost(host: NodeView, links: LinkView[], flipped = false): HostPlan {
  const root = host.namespaces.find((n) => n.kind === 'root');
  const inner = host.namespaces.filter((n) => n.kind !== 'root');
  const rootDevs = root?.devices ?? [];
  const vethOf = new Map<string, DeviceView>();
  for (const d of rootDevs) if (d.kind === 'veth' && d.peer) vethOf.set(d.peer, d);

  const byRow: Record<Row, DeviceView[]> = { veth: [], bridge: [], tunnel: [], uplink: [] };
  for (const d of rootDevs) byRow[rowOf(d)].push(d);
  // The uplink row: physical NIC first, loopback last.
  const order = (d: DeviceView) => (d.kind === 'phys' ? 0 : d.kind === 'loopback' ? 2 : 1);
  byRow.uplink.sort((a, b) => order(a) - order(b));

  const cells = new Map<string, Cell>();
  const devices = new Map<string, DeviceView>();
  const local = new Map<string, string>(); // global device/ns id → local id
  const children: ElkNode[] = [];
  const wide = new Set<string>();
  let partition = 0;
  const partOf = new Map<string, number>();
  const add = (node: ElkNode, p: number) => {
    partOf.set(node.id, p);
    children.push({
      ...node,
      layoutOptions: { 'elk.partitioning.partition': String(p) },
    });
  };

  const placedVeth = new Set<string>();
  inner.forEach((ns, i) => {
    const eth = ns.devices.find((d) => d.kind !== 'loopback');
    const veth = eth ? vethOf.get(eth.id) : undefined;
    if (veth) placedVeth.add(veth.id);
    const id = `n${children.length}`;
    cells.set(id, { nsIndex: i, ...(veth ? { veth } : {}) });
    local.set(ns.id, id);
    if (eth) local.set(eth.id, id);
    if (veth) local.set(veth.id, id);
    add(
      { id, width: nsW, height: veth ? nsH + rowGap + devH : nsH },
      partition + Math.floor(i / MAX_COLS),
    );
  });
  if (inner.length) partition += Math.ceil(inner.length / MAX_COLS);

  const addRow = (devs: DeviceView[], width = devW, wrap = Infinity) => {
    devs.forEach((d, j) => {
      const id = `n${children.length}`;
      devices.set(id, d);
      local.set(d.id, id);
      if (width === BRIDGE_W) wide.add(id);
      add({ id, width, height: devH }, partition + Math.floor(j / wrap));
    });
    if (devs.length) partition += Math.ceil(devs.length / Math.min(wrap, devs.length));
  };
  // Veths whose other end is not a namespace of this host: a veth between two root devices
  // gets a row of its own; a wire to another host (a lab's uplink) the last row, alone, so
  // the link drawn sideways to the other host runs clear of the other devices.
  const ownIds = new Set(host.namespaces.flatMap((n) => n.devices.map((d) => d.id)));
  const lone = byRow.veth.filter((d) => !placedVeth.has(d.id));
  const outward = lone.filter((d) => !d.peer || !ownIds.has(d.peer));
  addRow(
    lone.filter((d) => !outward.includes(d)),
    devW,
    MAX_COLS,
  );
  addRow(byRow.bridge, BRIDGE_W);
  addRow(byRow.tunnel);
  addRow(byRow.uplink);
  addRow(outward, devW, MAX_COLS);

  // Edges only between neighbouring rows: a link that skips rows makes ELK route it through
  // dummy nodes in every row between, which widens those rows (7,400 px for a 30-pod node).
  // The rows themselves are fixed by the partitions; the edges tell ELK what to line up.
  const edges: ElkExtendedEdge[] = [];
  const edge = (a: string | undefined, b: string | undefined) => {
    if (!a || !b || a === b || partOf.get(b) !== partOf.get(a)! + 1) return;
    if (edges.some((e) => e.sources[0] === a && e.targets[0] === b)) return;
    edges.push({ id: `e${edges.length}`, sources: [a], targets: [b] });
  };
  // Real links inside the host: bridge ports (a veth in a cell to its bridge).
  for (const l of links) if (l.kind === 'bridge-port') edge(local.get(l.a), local.get(l.b));
  // Layout-only links along the way out: each row's devices to the first device of the row
  // under it (bridge → tunnel device → uplink NIC, a routed pod's veth → the NIC, as with
  // Calico), so ELK lines the rows up under each other.
  const firstOf = new Map<number, string>();
  for (const c of children) {
    const p = partOf.get(c.id)!;
    if (!firstOf.has(p)) firstOf.set(p, c.id);
  }
  for (const c of children) {
    const d = devices.get(c.id);
    const cell = cells.get(c.id);
    if ((d && d.kind !== 'loopback') || (cell?.veth && !cell.veth.master))
      edge(c.id, firstOf.get(partOf.get(c.id)! + 1));
  }

  return {
    host,
    cells,
    devices,
    wide,
    flipped,
    graph: {
      id: 'host',
      layoutOptions: infoLines(host)
        ? {
            ...HOST_OPTIONS,
            ...(flipped ? { 'elk.direction': 'UP' } : {}),
            // Room under the title for the listener / announcement lines.
            'elk.padding': `[top=${header + BALANCE_LINE * infoLines(host) + 6},left=${gap},bottom=${pad},right=${gap}]`,
          }
        : flipped
          ? { ...HOST_OPTIONS, 'elk.direction': 'UP' }
          : HOST_OPTIONS,
      children,
      edges,
    },
  };
}

/** LoadBalancer addresses the host's NICs answer ARP for (a MetalLB L2 speaker). */
export function announcedBy(host: NodeView): string[] {
  return host.namespaces.flatMap((ns) => ns.devices.flatMap((d) => d.announces ?? []));
}

/** Lines under a host's title: one per balanced Service port, one for ARP announcements. */
function infoLines(host: NodeView): number {
  return (host.balances?.length ?? 0) + (announcedBy(host).length ? 1 : 0);
}

/**
 * How wide a host must be for its title row and, on a load balancer, its listener lines
 * (12 px monospace, about 7.3 px a character, in either language).
 */
export function hostMinWidth(host: NodeView): number {
  const longest = Math.max(
    0,
    ...(host.balances ?? []).map(
      (b) =>
        `${b.vip}:${b.port} (${b.service}) → NodePort ${b.nodePort} on ${b.targets.join(', ')}`
          .length,
    ),
  );
  return Math.max(hostMinW, Math.ceil(longest * 7.3) + 2 * gap + 8);
}

/** The boxes of one host from ELK's answer, at absolute position (x0, y0). */
export function readHost(
  plan: HostPlan,
  laid: ElkNode,
  x0: number,
  y0: number,
): { boxes: Box[]; w: number; h: number } {
  const { host } = plan;
  const w = Math.max(laid.width ?? 0, hostMinWidth(host));
  // A host widened for its title keeps its content centred.
  const dx = (w - (laid.width ?? 0)) / 2;
  const h = laid.height ?? header + pad;
  const hostId = `host:${host.name}`;
  const boxes: Box[] = [{ id: hostId, kind: 'host', x: x0, y: y0, w, h, host }];
  const device = (d: DeviceView, x: number, y: number, parent: string, bw = devW, bh = devH) =>
    boxes.push({ id: d.id, kind: 'device', x, y, w: bw, h: bh, parent, device: d });
  const inner = host.namespaces.filter((n) => n.kind !== 'root');

  // A bridge alone on its row spans the host, as the shared segment it is.
  const rowCount = new Map<number, number>();
  for (const c of laid.children ?? []) rowCount.set(c.y ?? 0, (rowCount.get(c.y ?? 0) ?? 0) + 1);

  for (const c of laid.children ?? []) {
    const x = x0 + dx + (c.x ?? 0);
    const y = y0 + (c.y ?? 0);
    const cell = plan.cells.get(c.id);
    if (cell) {
      const ns = inner[cell.nsIndex]!;
      // Upside down, the host-side veth sits over its namespace.
      const nsY = plan.flipped && cell.veth ? y + devH + rowGap : y;
      boxes.push({
        id: ns.id,
        kind: 'ns',
        x,
        y: nsY,
        w: nsW,
        h: nsH,
        parent: hostId,
        ns,
        ...(plan.flipped ? { flipped: true } : {}),
      });
      const eth = ns.devices.find((d) => d.kind !== 'loopback');
      const lo = ns.devices.find((d) => d.kind === 'loopback');
      if (eth)
        device(eth, x + (nsW - devW) / 2, nsY + (plan.flipped ? 10 : nsH - devH - 10), ns.id);
      if (lo) device(lo, x + nsW - 62, nsY + (plan.flipped ? nsH - 32 : 8), ns.id, 54, 24);
      const vethY = plan.flipped ? y : y + nsH + rowGap;
      if (cell.veth) device(cell.veth, x + (nsW - devW) / 2, vethY, hostId);
      continue;
    }
    const d = plan.devices.get(c.id);
    if (!d) continue;
    if (plan.wide.has(c.id) && rowCount.get(c.y ?? 0) === 1)
      device(d, x0 + gap, y, hostId, w - 2 * gap);
    else device(d, x, y, hostId, c.width ?? devW);
  }
  return { boxes, w, h };
}
