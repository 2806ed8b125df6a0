import { useEffect, useState } from 'react';
import type { TopologyView } from '../../protocol/messages';
import { layoutEngine } from './elk-worker';
import { warmUpGraph } from './layout-host';
import { layoutTopology, type Layout, type LayoutCache } from './layout';

const cache: LayoutCache = new Map();

/**
 * Boots ELK's worker (fetch, compile, warm the JIT on a few host-shaped layouts) while the
 * engine's worker is still simulating: call once when the page starts.
 */
export function startLayoutWorker(): void {
  const elk = layoutEngine();
  const run = () => elk.layout(warmUpGraph());
  run()
    .then(run)
    .catch(() => undefined);
}

export interface LayoutState {
  layout: Layout | null;
  /** Why the last layout failed (ELK threw, its worker could not start). */
  error: string | null;
}

/**
 * The layout of a topology, computed off the main thread. While a new one is computed the
 * previous layout stays on screen; a layout that arrives after a newer topology is dropped.
 */
export function useLayout(topology: TopologyView | null): LayoutState {
  const [state, setState] = useState<LayoutState>({ layout: null, error: null });
  useEffect(() => {
    if (!topology) return;
    let live = true;
    performance.mark('pw:layout-start');
    layoutTopology(topology, layoutEngine(), cache).then(
      (layout) => {
        // User Timing for the UI benchmark (e2e/perf): ELK's share of the time to mount.
        performance.measure('pw:layout', 'pw:layout-start');
        if (live) setState({ layout, error: null });
      },
      (e: unknown) =>
        live && setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) })),
    );
    return () => {
      live = false;
    };
  }, [topology]);
  return topology ? state : { layout: null, error: null };
}
