import type { Edge } from '@xyflow/react';
import type { BusEdgeData } from './BusEdge';
import { hostOf, isBus, type Box, type Layout } from './layout';
import { innerHandle, type BoxNode } from './nodes';

/**
 * Every device is drawn inside the node of its namespace or host, not as a React Flow node
 * of its own: on a 10×30 cluster that is ~300 nodes instead of ~1,300, and the browser's
 * paint and compositing work grows with the node count.
 */
function isInner(layout: Layout, b: Box): boolean {
  const parent = b.parent ? layout.byId.get(b.parent) : undefined;
  return b.kind === 'device' && (parent?.kind === 'ns' || parent?.kind === 'host');
}

export function toNodes(layout: Layout): BoxNode[] {
  const inner = new Map<string, Box[]>();
  for (const b of layout.boxes)
    if (isInner(layout, b)) inner.set(b.parent!, [...(inner.get(b.parent!) ?? []), b]);
  return layout.boxes
    .filter((b) => !isInner(layout, b))
    .map((b) => {
      const parent = b.parent ? layout.byId.get(b.parent) : undefined;
      return {
        id: b.id,
        type: b.kind,
        position: parent ? { x: b.x - parent.x, y: b.y - parent.y } : { x: b.x, y: b.y },
        ...(b.parent ? { parentId: b.parent, extent: 'parent' as const } : {}),
        data: inner.has(b.id) ? { box: b, inner: inner.get(b.id)! } : { box: b },
        width: b.w,
        height: b.h,
        draggable: false,
        selectable: true,
        connectable: false,
        zIndex: b.kind === 'device' ? 2 : b.kind === 'ns' ? 1 : 0,
      };
    });
}

/** Room on the left for the zoom controls, so they never cover a box after fitting. */
export const FIT_PADDING = { top: '24px', right: '24px', bottom: '24px', left: '64px' } as const;

/** A minimap helps once the cluster no longer fits legibly; below this many boxes it only hides things. */
export const MINIMAP_FROM = 60;

/** Up to this many tunnels are all drawn; beyond it (a full mesh) only those the trace used. */
const ALL_TUNNELS_UP_TO = 6;

export function toEdges(layout: Layout, used: Set<string>): Edge[] {
  const tunnels = layout.wires.filter((w) => w.kind === 'tunnel').length;
  // A veth between two hosts (a lab's netns pair) runs sideways, as tunnels do.
  const sideways = (w: Layout['wires'][number]) =>
    w.kind === 'tunnel' ||
    (w.kind === 'veth' &&
      hostOf(layout, layout.byId.get(w.source)) !== hostOf(layout, layout.byId.get(w.target)));
  return layout.wires.map((w): Edge => {
    if (sideways(w)) {
      // From the left end's right side to the other's left.
      const [a, b] = [layout.byId.get(w.source)!, layout.byId.get(w.target)!];
      const [source, target] = a.x <= b.x ? [w.source, w.target] : [w.target, w.source];
      const side = (id: string, s: 'l' | 'r') => {
        const box = layout.byId.get(id)!;
        return isInner(layout, box)
          ? { node: box.parent!, handle: innerHandle(id, s) }
          : { node: id, handle: s };
      };
      const s = side(source, 'r');
      const t = side(target, 'l');
      const tunnel = w.kind === 'tunnel';
      return {
        id: w.id,
        source: s.node,
        target: t.node,
        sourceHandle: s.handle,
        targetHandle: t.handle,
        // Static dashes: animated edges repaint the whole canvas every frame.
        type: tunnel ? 'tunnel' : 'straight',
        hidden: tunnel && tunnels > ALL_TUNNELS_UP_TO && !used.has(w.id),
        className: `pw-edge pw-edge-${w.kind}`,
        focusable: false,
        selectable: false,
        zIndex: 3,
      };
    }
    // An end inside a namespace node is that node, at the device's own handle.
    const end = (id: string, side: 'in' | 'out') => {
      const b = layout.byId.get(id)!;
      return isInner(layout, b) ? { node: b.parent!, handle: innerHandle(id, side) } : { node: id };
    };
    const s = end(w.source, 'out');
    const t = end(w.target, 'in');
    const [top, bottom] = [layout.byId.get(w.source)!, layout.byId.get(w.target)!];
    const bus = isBus(bottom) && !isBus(top) ? bottom : isBus(top) && !isBus(bottom) ? top : null;
    return {
      id: w.id,
      source: s.node,
      target: t.node,
      ...(s.handle ? { sourceHandle: s.handle } : {}),
      ...(t.handle ? { targetHandle: t.handle } : {}),
      type: bus ? 'bus' : 'straight',
      ...(bus
        ? {
            data: {
              bus: bus === top ? 'source' : 'target',
              from: bus.x,
              to: bus.x + bus.w,
              ...(w.bends ? { bends: w.bends } : {}),
            } satisfies BusEdgeData,
          }
        : {}),
      className: `pw-edge pw-edge-${w.kind}`,
      focusable: false,
      selectable: false,
      zIndex: 3,
    };
  });
}

export function minimapColor(n: BoxNode): string {
  return n.type === 'ns' ? '#60a5fa' : n.type === 'host' ? '#94a3b8' : '#cbd5e1';
}
