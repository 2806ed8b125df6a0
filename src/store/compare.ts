import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineClient } from '../bridge/types';
import type { CompareResult, VariantInfo } from '../protocol/messages';
import type { ScenarioActions, ScenarioState } from './scenario';

/**
 * The compare view: the current flow on the scenario as written, next to the same cluster on
 * another data plane (kube-proxy mode or CNI). It follows the scenario: a new trace (other
 * files, flow or seed) re-runs the comparison.
 */
export interface CompareState {
  variants: VariantInfo[];
  /** The data plane put next to the scenario's own; null until one is picked. */
  variant: string | null;
  result: CompareResult | null;
  status: 'idle' | 'running';
  error: string | null;
  /** The panel is shown: list the data planes, and keep the comparison up to date. */
  open(): Promise<void>;
  choose(variant: string | null): Promise<void>;
}

export type CompareStore = StoreApi<CompareState>;

export function createCompareStore(
  engine: () => EngineClient,
  scenario: StoreApi<ScenarioState & ScenarioActions>,
): CompareStore {
  let seq = 0;
  let opened = false;
  let variantsFor: unknown = null;
  const store = createStore<CompareState>()((set) => ({
    variants: [],
    variant: null,
    result: null,
    status: 'idle',
    error: null,
    async open() {
      opened = true;
      await refresh();
    },
    async choose(variant) {
      set({ variant, result: null });
      await refresh();
    },
  }));

  async function refresh() {
    const { variant } = store.getState();
    const s = scenario.getState();
    const flow = s.flows.find((f) => f.id === s.flowId)?.flow;
    const mine = ++seq;
    try {
      // The data planes on offer change with the files only, not with every trace.
      if (s.files !== variantsFor) {
        const variants = await engine().call({ type: 'variants', files: s.files });
        if (mine !== seq) return;
        variantsFor = s.files;
        store.setState({ variants });
      }
      if (!variant || !flow) {
        store.setState({ result: null, status: 'idle', error: null });
        return;
      }
      store.setState({ status: 'running' });
      const result = await engine().call({
        type: 'compare',
        files: s.files,
        flow,
        seed: s.seed,
        variant,
      });
      if (mine !== seq) return;
      store.setState({ result, status: 'idle', error: null });
    } catch (e) {
      if (mine !== seq) return;
      store.setState({ status: 'idle', error: e instanceof Error ? e.message : String(e) });
    }
  }

  // Each new trace of the scenario is a new question for the comparison.
  scenario.subscribe((s, prev) => {
    if (opened && s.trace !== prev.trace && s.trace) void refresh();
  });
  return store;
}
