import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineClient, EngineNotice } from '../bridge/types';
import type {
  Diagnostic,
  DumpWhat,
  FlowChoice,
  ScenarioPreset,
  SourceText,
  TopologyView,
  Trace,
  TrafficResult,
  EndpointSpec,
  PipelineView,
  BgpEvent,
} from '../protocol/messages';
import { loadScenario, saveScenario, type KeyValueStore } from './persist';
import { decodeShare, encodeShare } from './share';
import { isVisible, jumpTo, stepBy, type Granularity, type JumpTarget } from './steps';

export type EngineStatus = 'starting' | 'simulating' | 'tracing' | 'ready';

/** A problem the page tells the user about (worker crash, time-out, a failed request). */
export interface Notice {
  id: number;
  kind: 'crashed' | 'timeout' | 'restarted' | 'failed';
  message: string;
}

export interface DumpView {
  node: string;
  what: DumpWhat;
  text: string | null;
  error: string | null;
}

export interface ScenarioState {
  presets: ScenarioPreset[];
  presetId: string;
  /** The editor's text, exactly as typed: never replaced by the engine's view of it. */
  files: SourceText[];
  activeFile: string;
  diagnostics: Diagnostic[];
  /** The last topology that simulated without errors: bad input keeps it on screen. */
  topology: TopologyView | null;
  /** True while the shown topology is older than the text (the text has errors). */
  stale: boolean;
  flows: FlowChoice[];
  /** Flows the user composed (kept across re-simulations of the same session). */
  customFlows: FlowChoice[];
  endpoints: { sources: string[]; targets: string[] };
  /** Calico's BGP exchange as events (null without Calico). */
  bgp: BgpEvent[] | null;
  nodes: string[];
  flowId: string | null;
  seed: number;
  trace: Trace | null;
  step: number;
  granularity: Granularity;
  status: EngineStatus;
  notices: Notice[];
  dump: DumpView | null;
  /** The netfilter pipeline of one namespace (after the last trace), for the pipeline view. */
  pipeline: PipelineView | null;
  /** The last traffic run (many connections of the current flow), or null. */
  traffic: TrafficResult | null;
  trafficRunning: boolean;
}

export interface ScenarioActions {
  /** Loads presets and the saved (or default) scenario, then simulates and traces it. */
  init(): Promise<void>;
  loadPreset(id: string): Promise<void>;
  editFile(name: string, text: string): void;
  setActiveFile(name: string): void;
  /** Simulates the current text now (the editor calls it after a pause in typing). */
  simulateNow(): Promise<void>;
  selectFlow(id: string): Promise<void>;
  /** A flow typed in the CLI's syntax: checked by the engine, added to the flows and traced. */
  addCustomFlow(from: string, to: string, proto: 'tcp' | 'udp' | 'icmp'): Promise<string | null>;
  setSeed(seed: number): Promise<void>;
  setStep(step: number): void;
  next(): void;
  back(): void;
  first(): void;
  last(): void;
  setGranularity(g: Granularity): void;
  /** Jumps to the next NAT, next node or next drop; false when there is none. */
  jump(target: JumpTarget): boolean;
  requestDump(node: string, what: DumpWhat): Promise<void>;
  requestPipeline(ns: string): Promise<void>;
  dismissNotice(id: number): void;
  /** Sends `connections` connections of the current flow, from `sources` in turn (default: its source). */
  runTraffic(connections: number, sources?: EndpointSpec[]): Promise<void>;
  clearTraffic(): void;
  /** The URL fragment that reopens this view (scenario, flow, seed, step). */
  shareHash(): string;
  /** Test hooks (behind `?debug`): make the worker crash or hang, to show the recovery. */
  debugCrash(): Promise<void>;
  debugHang(budgetMs: number): Promise<void>;
}

export type ScenarioStore = StoreApi<ScenarioState & ScenarioActions>;

export interface ScenarioDeps {
  engine: () => EngineClient;
  storage: KeyValueStore | undefined;
  /** The page's `location.hash` at start: a shared link (`#s=…`) opens exactly that view. */
  initialHash?: string;
}

/** User Timing marks for the UI benchmark (e2e/perf); harmless where there is no performance API. */
function mark(name: string): void {
  if (typeof performance !== 'undefined') performance.mark(name);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isCancelled(e: unknown): boolean {
  return e instanceof Error && 'kind' in e && (e as { kind: string }).kind === 'cancelled';
}

export function createScenarioStore(deps: ScenarioDeps): ScenarioStore {
  let simulateSeq = 0;
  let traceSeq = 0;
  let noticeSeq = 0;
  let inflight: AbortController | null = null;
  let unsubscribe: (() => void) | null = null;
  let lastGood: SourceText[] | null = null;

  const store = createStore<ScenarioState & ScenarioActions>()((set, get) => {
    function persist() {
      const s = get();
      saveScenario(deps.storage, {
        presetId: s.presetId,
        files: s.files,
        flowId: s.flowId,
        seed: s.seed,
        lastGood,
      });
    }

    function pushNotice(kind: Notice['kind'], message: string) {
      set((s) => ({ notices: [...s.notices.slice(-4), { id: ++noticeSeq, kind, message }] }));
    }

    function onNotice(n: EngineNotice) {
      if (n.type === 'crashed') pushNotice('crashed', n.message);
      else if (n.type === 'timeout') pushNotice('timeout', `${n.request} · ${n.budgetMs} ms`);
    }

    async function runTrace() {
      const { flows, flowId, seed } = get();
      const choice = flows.find((f) => f.id === flowId);
      if (!choice) {
        set({ trace: null, step: 0 });
        return;
      }
      const seq = ++traceSeq;
      set({ status: 'tracing' });
      try {
        const trace = await deps.engine().call({ type: 'trace', flow: choice.flow, seed });
        if (seq !== traceSeq) return;
        set({ trace, step: 0, status: 'ready', traffic: null });
      } catch (e) {
        if (seq !== traceSeq || isCancelled(e)) return;
        set({ status: 'ready' });
        pushNotice('failed', errorMessage(e));
      }
    }

    /** "FROM → TO PROTO", the CLI syntax flow ids are written in, back to a FlowChoice. */
    async function parseFlowText(text: string): Promise<FlowChoice | null> {
      const m = /^(\S+) → (\S+) (tcp|udp|icmp)$/.exec(text);
      if (!m) return null;
      try {
        return await deps.engine().call({
          type: 'parse-flow',
          from: m[1]!,
          to: m[2]!,
          proto: m[3] as 'tcp' | 'udp' | 'icmp',
        });
      } catch {
        return null;
      }
    }

    async function simulate(preferredFlow: string | null, files = get().files) {
      const seq = ++simulateSeq;
      inflight?.abort();
      const ctrl = new AbortController();
      inflight = ctrl;
      set({ status: 'simulating' });
      try {
        const result = await deps
          .engine()
          .call({ type: 'simulate', files }, { signal: ctrl.signal });
        if (seq !== simulateSeq) return;
        if (!result.topology) {
          set({ diagnostics: result.diagnostics, stale: get().topology !== null, status: 'ready' });
          return;
        }
        lastGood = files;
        mark('pw:topology-received');
        let custom = get().customFlows.filter((c) => !result.flows.some((f) => f.id === c.id));
        let keep = [...custom, ...result.flows].find((f) => f.id === preferredFlow);
        // A flow the engine does not suggest (a preset's outside client, one typed in the
        // composer before a reload or in a shared link): its id is its CLI text.
        const typed = !keep && preferredFlow ? await parseFlowText(preferredFlow) : null;
        if (seq !== simulateSeq) return;
        if (typed) {
          custom = [typed, ...custom];
          keep = typed;
        }
        const flows = [...custom, ...result.flows];
        const flowId = keep?.id ?? result.flows[0]?.id ?? null;
        set({
          diagnostics: result.diagnostics,
          topology: result.topology,
          stale: false,
          flows,
          endpoints: result.endpoints,
          bgp: result.bgp,
          nodes: result.nodes,
          flowId,
          customFlows: custom,
        });
        persist();
        await runTrace();
      } catch (e) {
        if (seq !== simulateSeq || isCancelled(e)) return;
        set({ status: 'ready' });
        pushNotice('failed', errorMessage(e));
      } finally {
        if (inflight === ctrl) inflight = null;
      }
    }

    return {
      presets: [],
      presetId: '',
      files: [],
      activeFile: '',
      diagnostics: [],
      topology: null,
      stale: false,
      flows: [],
      customFlows: [],
      endpoints: { sources: [], targets: [] },
      bgp: null,
      nodes: [],
      flowId: null,
      seed: 1,
      trace: null,
      step: 0,
      granularity: 'rule',
      status: 'starting',
      notices: [],
      dump: null,
      pipeline: null,
      traffic: null,
      trafficRunning: false,

      async init() {
        unsubscribe ??= deps.engine().onNotice(onNotice);
        let presets: ScenarioPreset[];
        try {
          presets = await deps.engine().call({ type: 'presets' });
        } catch (e) {
          pushNotice('failed', errorMessage(e));
          set({ status: 'ready' });
          return;
        }
        const shared = deps.initialHash ? decodeShare(deps.initialHash) : null;
        const local = loadScenario(deps.storage);
        // A reload of this page's own link: the local copy knows the last files that worked.
        if (shared && local && JSON.stringify(shared.files) === JSON.stringify(local.files))
          shared.lastGood = local.lastGood;
        const saved = shared ?? local;
        const preset = presets.find((p) => p.id === saved?.presetId) ?? presets[0];
        const files = saved?.files.length ? saved.files : (preset?.files ?? []);
        set({
          presets,
          presetId: preset?.id ?? '',
          files,
          activeFile: files[0]?.name ?? '',
          seed: saved?.seed ?? 1,
        });
        const flow = saved ? saved.flowId : (preset?.defaultFlow ?? null);
        lastGood = saved?.lastGood ?? null;
        // Text saved with errors: draw the last cluster that worked, then show the errors.
        if (lastGood && JSON.stringify(lastGood) !== JSON.stringify(files)) {
          await simulate(flow, lastGood);
          const result = await deps.engine().call({ type: 'simulate', files });
          if (!result.topology) {
            set({ diagnostics: result.diagnostics, stale: true });
            return;
          }
        }
        await simulate(flow);
        if (shared) {
          get().setStep(shared.step);
          persist();
        }
      },

      async loadPreset(id) {
        const preset = get().presets.find((p) => p.id === id);
        if (!preset) return;
        set({
          presetId: id,
          files: preset.files.map((f) => ({ ...f })),
          activeFile: preset.files[0]?.name ?? '',
          topology: null,
          trace: null,
          step: 0,
          seed: 1,
          customFlows: [],
        });
        persist();
        await simulate(preset.defaultFlow);
      },

      editFile(name, text) {
        set((s) => ({ files: s.files.map((f) => (f.name === name ? { name, text } : f)) }));
        persist();
      },

      setActiveFile(name) {
        if (get().files.some((f) => f.name === name)) set({ activeFile: name });
      },

      simulateNow() {
        return simulate(get().flowId);
      },

      async selectFlow(id) {
        set({ flowId: id });
        persist();
        await runTrace();
      },

      async addCustomFlow(from, to, proto) {
        let choice: FlowChoice;
        try {
          choice = await deps.engine().call({ type: 'parse-flow', from, to, proto });
        } catch (e) {
          return errorMessage(e);
        }
        if (!get().flows.some((f) => f.id === choice.id))
          set((s) => ({ customFlows: [...s.customFlows, choice], flows: [choice, ...s.flows] }));
        await get().selectFlow(choice.id);
        return null;
      },

      async setSeed(seed) {
        set({ seed });
        persist();
        await runTrace();
      },

      setStep(step) {
        const n = get().trace?.events.length ?? 0;
        set({ step: Math.max(0, Math.min(step, n - 1)) });
      },
      next() {
        const { trace, step, granularity } = get();
        if (trace) set({ step: stepBy(trace.events, step, 1, granularity) });
      },
      back() {
        const { trace, step, granularity } = get();
        if (trace) set({ step: stepBy(trace.events, step, -1, granularity) });
      },
      first() {
        get().setStep(0);
      },
      last() {
        get().setStep(Number.MAX_SAFE_INTEGER);
      },
      setGranularity(granularity) {
        const { trace, step } = get();
        set({ granularity });
        // Stay on a step this granularity shows: the nearest one before (the first is a send).
        if (trace && trace.events[step] && !isVisible(trace.events[step], granularity))
          set({ step: stepBy(trace.events, step, -1, granularity) });
      },
      jump(target) {
        const { trace, step } = get();
        const to = trace ? jumpTo(trace.events, step, target) : null;
        if (to === null) return false;
        set({ step: to });
        return true;
      },

      async requestDump(node, what) {
        set({ dump: { node, what, text: null, error: null } });
        try {
          const out = await deps.engine().call({ type: 'dump', node, what });
          const cur = get().dump;
          if (cur?.node === node && cur.what === what) set({ dump: { ...cur, text: out.text } });
        } catch (e) {
          const cur = get().dump;
          if (cur?.node === node && cur.what === what)
            set({ dump: { ...cur, error: errorMessage(e) } });
        }
      },

      async runTraffic(connections, sources) {
        const { flows, flowId, seed } = get();
        const choice = flows.find((f) => f.id === flowId);
        if (!choice) return;
        set({ trafficRunning: true });
        mark('pw:traffic-start');
        try {
          const traffic = await deps.engine().call(
            {
              type: 'traffic',
              flow: choice.flow,
              connections,
              seed,
              ...(sources?.length ? { sources } : {}),
            },
            { budgetMs: 30_000 },
          );
          mark('pw:traffic-received');
          if (get().flowId === flowId) set({ traffic });
        } catch (e) {
          if (!isCancelled(e)) pushNotice('failed', errorMessage(e));
        } finally {
          set({ trafficRunning: false });
        }
      },
      clearTraffic() {
        set({ traffic: null });
      },

      shareHash() {
        const s = get();
        return encodeShare({
          presetId: s.presetId,
          files: s.files,
          flowId: s.flowId,
          seed: s.seed,
          step: s.step,
          lastGood: null,
        });
      },

      async requestPipeline(ns) {
        try {
          const pipeline = await deps.engine().call({ type: 'pipeline', ns });
          set({ pipeline });
        } catch (e) {
          if (!isCancelled(e)) set({ pipeline: null });
        }
      },

      dismissNotice(id) {
        set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
      },

      async debugCrash() {
        await deps
          .engine()
          .call({ type: 'debug-crash' })
          .catch(() => undefined);
      },
      async debugHang(budgetMs) {
        await deps
          .engine()
          .call({ type: 'debug-hang' }, { budgetMs })
          .catch(() => undefined);
      },
    };
  });
  return store;
}
