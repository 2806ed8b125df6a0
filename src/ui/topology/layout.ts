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

type Row = 'ns' | 'veth' | 'bridge' | 'uplink';

/** Which row of a host a root-namespace device sits on. */
function rowOf(d: DeviceView): Row {
  if (d.kind === 'veth') return 'veth';
  if (d.kind === 'bridge' || d.kind === 'dummy') return 'bridge';
  return 'uplink';
}

function layoutHost(host: NodeView, x0: number, y0: number, boxes: Box[]): number {
  const root = host.namespaces.find((n) => n.kind === 'root');
  const inner = host.namespaces.filter((n) => n.kind !== 'root');
  const rootDevs = root?.devices ?? [];
  // A host-side veth goes under the namespace at its other end, so veth edges are vertical.
  const vethOf = new Map<string, DeviceView>();
  for (const d of rootDevs) if (d.kind === 'veth' && d.peer) vethOf.set(d.peer, d);

  const rows: Record<Row, DeviceView[]> = { ns: [], veth: [], bridge: [], uplink: [] };
  for (const d of rootDevs) rows[rowOf(d)].push(d);

  const cols = Math.max(inner.length, rows.veth.length, 1);
  const colW = nsW + gap;
  const bridgeRowW = rows.bridge.length * (devW * 1.6 + gap);
  const uplinkW = rows.uplink.length * (devW + gap);
  const w = Math.max(cols * colW + gap, bridgeRowW + gap, uplinkW + gap, 2 * devW + 3 * gap);
  const yNs = y0 + header;
  const yVeth = yNs + (inner.length ? nsH + rowGap : 0);
  const yBridge = yVeth + (rows.veth.length ? devH + rowGap : 0);
  const yUplink = yBridge + (rows.bridge.length ? devH + rowGap : 0);
  const h = yUplink + devH + pad - y0;

  const hostId = `host:${host.name}`;
  boxes.push({ id: hostId, kind: 'host', x: x0, y: y0, w, h, host });

  const placedVeth = new Set<string>();
  inner.forEach((ns, i) => {
    const x = x0 + gap + i * colW;
    boxes.push({ id: ns.id, kind: 'ns', x, y: yNs, w: nsW, h: nsH, parent: hostId, ns });
    const eth = ns.devices.find((d) => d.kind !== 'loopback');
    const lo = ns.devices.find((d) => d.kind === 'loopback');
    if (eth)
      boxes.push({
        id: eth.id,
        kind: 'device',
        x: x + (nsW - devW) / 2,
        y: yNs + nsH - devH - 10,
        w: devW,
        h: devH,
        parent: ns.id,
        device: eth,
      });
    if (lo)
      boxes.push({
        id: lo.id,
        kind: 'device',
        x: x + nsW - 62,
        y: yNs + 8,
        w: 54,
        h: 24,
        parent: ns.id,
        device: lo,
      });
    const veth = eth ? vethOf.get(eth.id) : undefined;
    if (veth) {
      placedVeth.add(veth.id);
      boxes.push({
        id: veth.id,
        kind: 'device',
        x: x + (nsW - devW) / 2,
        y: yVeth,
        w: devW,
        h: devH,
        parent: hostId,
        device: veth,
      });
    }
  });
  // Veths whose peer is not drawn in this host (e.g. a peer in another host's namespace).
  let free = inner.length;
  for (const d of rows.veth) {
    if (placedVeth.has(d.id)) continue;
    const x = x0 + gap + free++ * colW + (nsW - devW) / 2;
    boxes.push({
      id: d.id,
      kind: 'device',
      x,
      y: yVeth,
      w: devW,
      h: devH,
      parent: hostId,
      device: d,
    });
  }
  const bw = Math.min(
    w - 2 * gap,
    Math.max(devW * 1.6, w / Math.max(rows.bridge.length, 1) - 2 * gap),
  );
  rows.bridge.forEach((d, i) => {
    const x = x0 + gap + i * (bw + gap);
    boxes.push({
      id: d.id,
      kind: 'device',
      x,
      y: yBridge,
      w: bw,
      h: devH,
      parent: hostId,
      device: d,
    });
  });
  // The uplink row: physical NIC first, tunnels next, loopback last.
  const order = (d: DeviceView) => (d.kind === 'phys' ? 0 : d.kind === 'loopback' ? 2 : 1);
  [...rows.uplink]
    .sort((a, b) => order(a) - order(b))
    .forEach((d, i) => {
      const x = x0 + gap + i * (devW + gap);
      boxes.push({
        id: d.id,
        kind: 'device',
        x,
        y: yUplink,
        w: devW,
        h: devH,
        parent: hostId,
        device: d,
      });
    });
  return w;
}

export function layoutTopology(topo: TopologyView): Layout {
  const boxes: Box[] = [];
  let x = 0;
  let maxH = 0;
  for (const host of topo.nodes) {
    const w = layoutHost(host, x, 0, boxes);
    const hostBox = boxes.find((b) => b.id === `host:${host.name}`)!;
    maxH = Math.max(maxH, hostBox.h);
    x += w + hostGap;
  }
  const width = Math.max(x - hostGap, 400);

  // Segments the hosts' NICs are wired to, side by side under the hosts.
  const segmentNames = [
    ...new Set(
      topo.links.filter((l) => l.kind === 'wire' && l.b.startsWith('segment:')).map((l) => l.b),
    ),
  ];
  const segY = maxH + 70;
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
  const height = segmentNames.length ? segY + segmentH : maxH;
  return { boxes, wires, byId, width, height };
}

/** Centre of a box in absolute canvas coordinates. */
export function centreOf(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}
