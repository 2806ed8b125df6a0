import type { Focus } from './focus';
import { centreOf, isBus, type Box, type Layout } from './layout';

export interface Point {
  x: number;
  y: number;
}

const INSET = 14;

function clampTo(b: Box, x: number): number {
  return Math.min(Math.max(x, b.x + INSET), b.x + b.w - INSET);
}

/**
 * The points the token passes through on each step, ending where the step happens. On a bus
 * (a segment, a bridge drawn across its host) the token lands under the device it came from
 * and slides along the bus to the device it leaves by, so it follows the drawn links rather
 * than cutting across boxes to the bus's centre.
 */
export function tokenPaths(layout: Layout, focus: Focus[]): Point[][] {
  const paths: Point[][] = [];
  const bendsOf = new Map(layout.wires.filter((w) => w.bends).map((w) => [w.id, w]));
  let prev: { box: Box; at: Point } | null = null;
  for (const f of focus) {
    const box = layout.byId.get(f.at);
    if (!box) {
      paths.push(prev ? [prev.at] : []);
      continue;
    }
    const path: Point[] = [];
    const via = f.via ? layout.byId.get(f.via) : undefined;
    if (via) path.push(centreOf(via));
    let at = centreOf(box);
    if (isBus(box) && prev && prev.box !== box) at = { x: clampTo(box, prev.at.x), y: at.y };
    else if (isBus(box) && prev) at = prev.at;
    // A wire routed past other hosts: follow its bends, down or back up.
    const routed = f.link ? bendsOf.get(f.link) : undefined;
    if (routed?.bends && prev && prev.box !== box) {
      const bends = routed.bends;
      const last = bends[bends.length - 1]!;
      if (box.id === routed.target) {
        path.push(...bends);
        at = { x: last.x, y: at.y };
      } else path.push({ x: last.x, y: prev.at.y }, ...[...bends].reverse());
    } else if (prev && isBus(prev.box) && prev.box !== box && !via)
      path.push({ x: clampTo(prev.box, at.x), y: prev.at.y });
    path.push(at);
    paths.push(path);
    prev = { box, at };
  }
  return paths;
}
