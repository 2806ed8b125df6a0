import type { DeviceView, NamespaceView, NodeView } from '../../protocol/messages';

/** The sizes of the boxes the layout places (px at zoom 1), chosen to stay legible projected. */
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
  /** Wide enough for a host's title row (name, address, podCIDR, kind). */
  hostMinW: 470,
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
  /** A namespace drawn upside down (its eth0 on top) in a host hanging under its segment. */
  flipped?: boolean;
}

export interface Wire {
  id: string;
  kind: 'veth' | 'bridge-port' | 'wire' | 'tunnel';
  /** The upper end (edge source) and the lower end (edge target). */
  source: string;
  target: string;
  /**
   * Where a wire from a host to a segment below bends to get past the hosts between them
   * (absolute points after the device's own end, before the drop onto the segment).
   */
  bends?: { x: number; y: number }[];
}

export interface Layout {
  boxes: Box[];
  wires: Wire[];
  byId: Map<string, Box>;
  width: number;
  height: number;
}

/** Centre of a box in absolute canvas coordinates. */
export function centreOf(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/** A box links drop onto vertically (a segment, a bridge drawn across its host). */
export function isBus(b: Box): boolean {
  return b.kind === 'segment' || (b.device?.kind === 'bridge' && b.w >= 2 * SIZES.devW);
}

/** The host box a box is drawn in (itself for a host). */
export function hostOf(layout: Pick<Layout, 'byId'>, b: Box | undefined): Box | undefined {
  return b?.kind === 'host' ? b : b?.parent ? hostOf(layout, layout.byId.get(b.parent)) : undefined;
}
