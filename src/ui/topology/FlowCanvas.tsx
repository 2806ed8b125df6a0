import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TopologyView, Trace, TrafficResult } from '../../protocol/messages';
import { useInspector, usePrefs } from '../../store';
import { FIT_PADDING, MINIMAP_FROM, minimapColor, toEdges, toNodes } from './flow-elements';
import { focusPerStep, linkIndex, tunnelsUsed } from './focus';
import type { Layout } from './layout';
import { nodeTypes } from './nodes';
import { PacketToken } from './PacketToken';
import { tokenPaths } from './token-path';
import { TrafficLayer } from './TrafficLayer';
import { edgeTypes } from './TunnelEdge';
import { useLayout } from './useLayout';

/** Lights the element the packet is at, by CSS over React Flow's data-id attributes. */
function Highlight({ scope, at, link }: { scope: string; at: string | null; link: string | null }) {
  // Scoped to this canvas: the two sides of a comparison draw the same names.
  const within = `[data-canvas="${CSS.escape(scope)}"]`;
  const css = [
    at && `${within} [data-hl="${CSS.escape(at)}"] { box-shadow: 0 0 0 3px var(--pw-accent); }`,
    link &&
      `${within} .react-flow__edge[data-id="${CSS.escape(link)}"] path { stroke: var(--pw-accent); stroke-width: 4px; }`,
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

export interface FlowCanvasProps {
  topology: TopologyView | null;
  trace: Trace | null;
  step: number;
  stale?: boolean;
  traffic?: TrafficResult | null;
  /** Names this canvas in CSS and tests when the page shows more than one. */
  scope?: string;
  /** The main canvas marks its mount for the UI benchmark and selects into the inspector. */
  main?: boolean;
}

/**
 * A cluster drawn from a topology, with one trace's packet at `step`: the page's canvas, and
 * each side of the side-by-side comparison. Pure over its props (and the display prefs).
 */
export function FlowCanvas({
  topology,
  trace,
  step,
  stale = false,
  traffic = null,
  scope = 'main',
  main = false,
}: FlowCanvasProps) {
  const { t } = useTranslation();
  const theme = usePrefs((s) => s.theme);
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
    if (layout && main) performance.mark('pw:topology-mounted', { detail: layout.boxes.length });
  }, [layout, main]);

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
    <div
      className="pw-canvas"
      data-testid={main ? 'topology' : `topology-${scope}`}
      data-canvas={scope}
      aria-label={t('topology.label')}
    >
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
        onNodeClick={main ? (_e, node) => useInspector.getState().select(node.id) : undefined}
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
        <Highlight scope={scope} at={current?.at ?? null} link={current?.link ?? null} />
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
