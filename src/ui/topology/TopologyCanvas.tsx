import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Edge,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  selectStale,
  selectStep,
  selectTopology,
  selectTrace,
  selectTraffic,
  useInspector,
  usePrefs,
  useScenario,
} from '../../store';
import { focusPerStep, linkIndex, tunnelsUsed } from './focus';
import type { BusEdgeData } from './BusEdge';
import { hostOf, isBus, type Box, type Layout } from './layout';
import { innerHandle, nodeTypes, type BoxNode } from './nodes';
import { PacketToken } from './PacketToken';
import { tokenPaths } from './token-path';
import { TrafficLayer } from './TrafficLayer';
import { edgeTypes } from './TunnelEdge';
import { useLayout } from './useLayout';

/**
 * Every device is drawn inside the node of its namespace or host, not as a React Flow node
 * of its own: on a 10×30 cluster that is ~300 nodes instead of ~1,300, and the browser's
 * paint and compositing work grows with the node count.
 */
function isInner(layout: Layout, b: Box): boolean {
  const parent = b.parent ? layout.byId.get(b.parent) : undefined;
  return b.kind === 'device' && (parent?.kind === 'ns' || parent?.kind === 'host');
}

function toNodes(layout: Layout): BoxNode[] {
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
const FIT_PADDING = { top: '24px', right: '24px', bottom: '24px', left: '64px' } as const;

/** A minimap helps once the cluster no longer fits legibly; below this many boxes it only hides things. */
const MINIMAP_FROM = 60;

/** Up to this many tunnels are all drawn; beyond it (a full mesh) only those the trace used. */
const ALL_TUNNELS_UP_TO = 6;

function toEdges(layout: Layout, used: Set<string>): Edge[] {
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

function minimapColor(n: BoxNode): string {
  return n.type === 'ns' ? '#60a5fa' : n.type === 'host' ? '#94a3b8' : '#cbd5e1';
}

/** Lights the element the packet is at, by CSS over React Flow's data-id attributes. */
function Highlight({ at, link }: { at: string | null; link: string | null }) {
  const css = [
    at && `[data-hl="${CSS.escape(at)}"] { box-shadow: 0 0 0 3px var(--pw-accent); }`,
    link &&
      `.react-flow__edge[data-id="${CSS.escape(link)}"] path { stroke: var(--pw-accent); stroke-width: 4px; }`,
  ]
    .filter(Boolean)
    .join('\n');
  return <style>{css}</style>;
}

/** Fits the view when the cluster changes or the canvas is resized (panes, presentation mode). */
function FitOnChange({ layout }: { layout: Layout }) {
  const flow = useReactFlow();
  const size = useStore((s) => `${Math.round(s.width / 40)}x${Math.round(s.height / 40)}`);
  useEffect(() => {
    // After React Flow has measured the new nodes.
    const id = requestAnimationFrame(
      () => void flow.fitView({ padding: FIT_PADDING, duration: 0 }),
    );
    return () => cancelAnimationFrame(id);
  }, [flow, layout, size]);
  return null;
}

function Canvas() {
  const { t } = useTranslation();
  const topology = useScenario(selectTopology);
  const stale = useScenario(selectStale);
  const trace = useScenario(selectTrace);
  const step = useScenario(selectStep);
  const theme = usePrefs((s) => s.theme);
  const traffic = useScenario(selectTraffic);
  const showMacs = usePrefs((s) => s.showMacs);

  const { layout, error: layoutError } = useLayout(topology);
  const nodes = useMemo(() => (layout ? toNodes(layout) : []), [layout]);
  const links = useMemo(() => (topology ? linkIndex(topology.links) : new Map()), [topology]);
  const edges = useMemo(
    () => (layout ? toEdges(layout, trace ? tunnelsUsed(trace.events, links) : new Set()) : []),
    [layout, trace, links],
  );
  const focus = useMemo(() => {
    if (!layout || !topology || !trace) return [];
    return focusPerStep(trace.events, (id) => layout.byId.has(id), links);
  }, [layout, topology, trace, links]);
  const paths = useMemo(() => (layout ? tokenPaths(layout, focus) : []), [layout, focus]);
  const current = focus[step];

  // User Timing marks for the UI benchmark (e2e/perf): the topology's time to mount.
  useEffect(() => {
    if (layout) performance.mark('pw:topology-mounted', { detail: layout.boxes.length });
  }, [layout]);

  if (!layout) {
    const message = layoutError
      ? t('topology.layoutFailed', { message: layoutError })
      : topology
        ? t('topology.layingOut')
        : t('topology.empty');
    return (
      <div
        className="pw-empty"
        data-testid={layoutError ? 'topology-layout-failed' : 'topology-empty'}
        role={layoutError ? 'alert' : undefined}
      >
        {message}
      </div>
    );
  }
  return (
    <div className="pw-canvas" data-testid="topology" aria-label={t('topology.label')}>
      {stale && (
        <div className="pw-stale" role="status" data-testid="topology-stale">
          {t('topology.stale')}
        </div>
      )}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        colorMode={theme}
        fitView
        fitViewOptions={{ padding: FIT_PADDING }}
        minZoom={0.1}
        maxZoom={2.5}
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_e, node) => useInspector.getState().select(node.id)}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false}>
          <ControlButton
            onClick={() => usePrefs.getState().setShowMacs(!usePrefs.getState().showMacs)}
            title={t('topology.macs')}
            aria-label={t('topology.macs')}
            aria-pressed={showMacs}
            data-testid="toggle-macs"
          >
            <span className="pw-mac-btn">MAC</span>
          </ControlButton>
        </Controls>
        {layout.boxes.length > MINIMAP_FROM && (
          <MiniMap
            pannable
            zoomable
            ariaLabel={t('topology.minimap')}
            nodeColor={minimapColor}
            bgColor="var(--pw-panel-2)"
            maskColor="rgb(100 116 139 / 25%)"
            style={{ width: 150, height: 100 }}
          />
        )}
        <FitOnChange layout={layout} />
        <Highlight at={current?.at ?? null} link={current?.link ?? null} />
        {traffic && <TrafficLayer layout={layout} traffic={traffic} />}
        {!traffic && trace && current && (
          <PacketToken
            layout={layout}
            focus={current}
            path={paths[step] ?? []}
            event={trace.events[step]!}
          />
        )}
      </ReactFlow>
    </div>
  );
}

export default function TopologyCanvas() {
  return (
    <ReactFlowProvider>
      <Canvas />
    </ReactFlowProvider>
  );
}
