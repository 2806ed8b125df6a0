import type { DeviceView, NamespaceView, NodeView, TopologyView } from '../../protocol/messages';

/**
 * Where each box goes on the canvas. Pure geometry over the engine's topology view: rows
 * top to bottom follow the path a packet takes out of a pod (namespace, host-side veth,
 * bridge, uplink), so the token moves downwards on its way out and upwards on its way in.
 */

export const SIZES = {
  nsW: 236,
  nsH: 112,
  devW: 156,
  devH: 46,
  gap: 28,
  pad: 24,
  header: 44,
  rowGap: 46,
  hostGap: 90,
  segmentH: 56,
};

export type BoxKind = 'host' | 'ns' | 'device' | 'segment';

export interface Box {
  id: string;
  kind: BoxKind;
  /** Absolute position of the top-left corner. */
  x: number;
  y: number;
  w: number;
  h: number;
  parent?: string;
  host?: NodeView;
  ns?: NamespaceView;
  device?: DeviceView;
  segment?: { name: string; cidr: string | null };
}

export interface Wire {
  id: string;
  kind: 'veth' | 'bridge-port' | 'wire' | 'tunnel';
  /** The upper end (edge source) and the lower end (edge target). */
  source: string;
  target: string;
}

export interface Layout {
  boxes: Box[];
  wires: Wire[];
  byId: Map<string, Box>;
  width: number;
  height: number;
}

const { nsW, nsH, devW, devH, gap, pad, header, rowGap, hostGap, segmentH } = SIZES;

type Row = 'ns' | 'veth' | 'bridge' | 'tunnel' | 'uplink';

/** Which row of a host a root-namespace device sits on. */
function rowOf(d: DeviceView): Row {
  if (d.kind === 'veth') return 'veth';
  if (d.kind === 'bridge' || d.kind === 'dummy') return 'bridge';
  // Tunnel devices get a row of their own, so the dashed links between VTEPs run clear.
  if (d.kind === 'vxlan' || d.kind === 'ipip' || d.kind === 'tun') return 'tunnel';
  return 'uplink';
}

/** Namespaces per row inside a host, before the row wraps. */
const MAX_COLS = 6;
/** Hosts per row of the canvas. */
const MAX_HOST_COLS = 4;

/**
 * One host: its namespaces in a grid of cells (each namespace with its host-side veth right
 * under it, so veth edges stay short and vertical), then the bridge row, then the uplink row.
 */
function layoutHost(
  host: NodeView,
  x0: number,
  y0: number,
  boxes: Box[],
): { w: number; h: number } {
  const root = host.namespaces.find((n) => n.kind === 'root');
  const inner = host.namespaces.filter((n) => n.kind !== 'root');
  const rootDevs = root?.devices ?? [];
  const vethOf = new Map<string, DeviceView>();
  for (const d of rootDevs) if (d.kind === 'veth' && d.peer) vethOf.set(d.peer, d);

  const rows: Record<Row, DeviceView[]> = { ns: [], veth: [], bridge: [], tunnel: [], uplink: [] };
  for (const d of rootDevs) rows[rowOf(d)].push(d);
  const placedVeth = new Set<string>();
  const loneVeths = () => rows.veth.filter((d) => !placedVeth.has(d.id));

  // Cells: a namespace (with its veth), or a host-side veth whose peer is drawn elsewhere.
  for (const ns of inner) {
    const eth = ns.devices.find((d) => d.kind !== 'loopback');
    const veth = eth ? vethOf.get(eth.id) : undefined;
    if (veth) placedVeth.add(veth.id);
  }
  // Veths whose other end is not a namespace of this host (a host-to-host wire, say) get a
  // row of their own under the namespaces, with no namespace space reserved above them.
  const lone = loneVeths();
  const cells = inner.length;
  const cols = Math.max(1, Math.min(Math.max(cells, lone.length), MAX_COLS));
  const gridRows = Math.ceil(cells / cols);
  const cellW = nsW + gap;
  const cellH = nsH + rowGap + devH + rowGap;
  const bridgeRowW = rows.bridge.length * (devW * 1.6 + gap);
  const uplinkW = rows.uplink.length * (devW + gap);
  // At least wide enough for the title row (name, address, podCIDR, kind).
  const w = Math.max(cols * cellW + gap, bridgeRowW + gap, uplinkW + gap, 470);
  const yGrid = y0 + header;
  const yLone = yGrid + (cells ? gridRows * cellH : 0);
  const loneRows = Math.ceil(lone.length / cols);
  const yBridge = yLone + loneRows * (devH + rowGap);
  const yTunnel = yBridge + (rows.bridge.length ? devH + rowGap : 0);
  const yUplink = yTunnel + (rows.tunnel.length ? devH + rowGap : 0);
  const h = yUplink + devH + pad - y0;

  const hostId = `host:${host.name}`;
  boxes.push({ id: hostId, kind: 'host', x: x0, y: y0, w, h, host });
  const cellAt = (i: number) => ({
    x: x0 + gap + (i % cols) * cellW,
    y: yGrid + Math.floor(i / cols) * cellH,
  });
  const device = (d: DeviceView, x: number, y: number, parent: string, bw = devW, bh = devH) =>
    boxes.push({ id: d.id, kind: 'device', x, y, w: bw, h: bh, parent, device: d });

  inner.forEach((ns, i) => {
    const { x, y } = cellAt(i);
    boxes.push({ id: ns.id, kind: 'ns', x, y, w: nsW, h: nsH, parent: hostId, ns });
    const eth = ns.devices.find((d) => d.kind !== 'loopback');
    const lo = ns.devices.find((d) => d.kind === 'loopback');
    if (eth) device(eth, x + (nsW - devW) / 2, y + nsH - devH - 10, ns.id);
    if (lo) device(lo, x + nsW - 62, y + 8, ns.id, 54, 24);
    const veth = eth ? vethOf.get(eth.id) : undefined;
    if (veth) device(veth, x + (nsW - devW) / 2, y + nsH + rowGap, hostId);
  });
  lone.forEach((d, j) => {
    const x = x0 + gap + (j % cols) * cellW + (nsW - devW) / 2;
    device(d, x, yLone + Math.floor(j / cols) * (devH + rowGap), hostId);
  });
  const bw = Math.min(
    w - 2 * gap,
    Math.max(devW * 1.6, w / Math.max(rows.bridge.length, 1) - 2 * gap),
  );
  rows.bridge.forEach((d, i) => device(d, x0 + gap + i * (bw + gap), yBridge, hostId, bw));
  rows.tunnel.forEach((d, i) => device(d, x0 + gap + i * (devW + gap), yTunnel, hostId));
  // The uplink row: physical NIC first, loopback last.
  const order = (d: DeviceView) => (d.kind === 'phys' ? 0 : d.kind === 'loopback' ? 2 : 1);
  [...rows.uplink]
    .sort((a, b) => order(a) - order(b))
    .forEach((d, i) => device(d, x0 + gap + i * (devW + gap), yUplink, hostId));
  return { w, h };
}

export function layoutTopology(topo: TopologyView): Layout {
  const boxes: Box[] = [];
  // Hosts in rows of MAX_HOST_COLS; each row as tall as its tallest host.
  const hostCols = Math.max(1, Math.min(topo.nodes.length, MAX_HOST_COLS));
  let x = 0;
  let y = 0;
  let rowH = 0;
  let width = 400;
  topo.nodes.forEach((host, i) => {
    if (i > 0 && i % hostCols === 0) {
      y += rowH + hostGap;
      x = 0;
      rowH = 0;
    }
    const size = layoutHost(host, x, y, boxes);
    rowH = Math.max(rowH, size.h);
    x += size.w + hostGap;
    width = Math.max(width, x - hostGap);
  });
  const hostsBottom = y + rowH;

  // Segments the hosts' NICs are wired to, side by side under the hosts.
  const segmentNames = [
    ...new Set(
      topo.links.filter((l) => l.kind === 'wire' && l.b.startsWith('segment:')).map((l) => l.b),
    ),
  ];
  const segY = hostsBottom + 70;
  const segW = segmentNames.length
    ? (width - (segmentNames.length - 1) * gap) / segmentNames.length
    : 0;
  segmentNames.forEach((id, i) => {
    const name = id.slice('segment:'.length);
    const seg = topo.segments.find((s) => s.name === name);
    boxes.push({
      id,
      kind: 'segment',
      x: i * (segW + gap),
      y: segY,
      w: segW,
      h: segmentH,
      segment: { name, cidr: seg?.cidr ?? null },
    });
  });

  const byId = new Map(boxes.map((b) => [b.id, b]));
  const wires: Wire[] = [];
  for (const l of topo.links) {
    const a = byId.get(l.a);
    const b = byId.get(l.b);
    if (!a || !b) continue;
    const [source, target] = a.y <= b.y ? [l.a, l.b] : [l.b, l.a];
    wires.push({ id: l.id, kind: l.kind, source, target });
  }
  const height = segmentNames.length ? segY + segmentH : hostsBottom;
  return { boxes, wires, byId, width, height };
}

/** Centre of a box in absolute canvas coordinates. */
export function centreOf(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}
