import { SIZES, type Box, type Wire } from './layout-types';

/**
 * Routes for wires that drop from a host onto a segment past other hosts: when the hosts
 * wrap into several rows above one segment, a NIC in the top row would otherwise drop
 * straight through the hosts under it. Such a wire leaves its host, turns into the nearest
 * aisle between the hosts below, and drops down it.
 */
export function routeAroundHosts(
  wires: Wire[],
  byId: Map<string, Box>,
  hosts: Box[],
  hostOf: (b: Box | undefined) => Box | undefined,
): void {
  const half = SIZES.hostGap / 2;
  for (const w of wires) {
    if (w.kind !== 'wire') continue;
    const seg = byId.get(w.target);
    const dev = byId.get(w.source);
    const host = hostOf(dev);
    if (seg?.kind !== 'segment' || !dev || !host) continue;
    const top = host.y + host.h;
    const between = hosts.filter((h) => h !== host && h.y >= top && h.y + h.h <= seg.y);
    const x0 = dev.x + dev.w / 2;
    const blocked = (x: number) => between.some((h) => h.x - 4 < x && x < h.x + h.w + 4);
    if (!blocked(x0)) continue;
    const aisles = between
      .flatMap((h) => [h.x - half, h.x + h.w + half])
      .filter((x) => !blocked(x))
      .sort((a, b) => Math.abs(a - x0) - Math.abs(b - x0) || a - b);
    const x = aisles[0];
    if (x === undefined) continue;
    // Turn halfway into the gap under the host's own row.
    const y = top + Math.min(35, (Math.min(...between.map((h) => h.y)) - top) / 2);
    w.bends = [
      { x: x0, y },
      { x, y },
    ];
  }
}
