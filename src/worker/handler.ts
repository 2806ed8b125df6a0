import {
  buildWorld,
  dump,
  FlowError,
  bgpEvents,
  flowEndpoints,
  flowFromText,
  flowLabel,
  pipelineOf,
  trace,
  traffic,
  type ClusterModel,
  type World,
} from '../engine';
import type {
  DumpResult,
  Request,
  RequestType,
  ResultMap,
  ScenarioPreset,
  SimulateResult,
} from '../protocol/messages';
import {
  compareDataPlanes,
  currentVariant,
  PRESETS,
  simulate,
  VARIANTS,
  variantFromId,
  variantId,
} from '../scenarios';
import { parseManifests } from '../manifests';

/** Thrown for a request that cannot be answered (no world yet, unknown node...): reported, not a crash. */
export class RequestError extends Error {}

/**
 * The engine behind the protocol, without any messaging: one instance per worker, holding
 * the world of the last successful `simulate` so `trace` and `dump` need not resend it.
 * Kept free of worker globals so node tests drive it directly.
 */
export function createHandler() {
  let model: ClusterModel | null = null;
  // The world after the last trace: `dump` shows what the node's tables hold once the flow
  // has run (learned neighbours and FDB entries, the conntrack entry).
  let traced: World | null = null;

  function presets(): ScenarioPreset[] {
    return PRESETS.map((p) => {
      const flows = simulate(p.files).flows;
      if (p.defaultFlow.kind === 'first') return { ...common(p), defaultFlow: flows[0]?.id ?? '' };
      // The preset's own flow, in CLI syntax: the page resolves it like a typed one when the
      // engine does not suggest it (an outside client's flow, say).
      return { ...common(p), defaultFlow: flowLabel(p.defaultFlow.flow) };
    });
  }

  function common(p: (typeof PRESETS)[number]) {
    return {
      id: p.id,
      titleKey: p.titleKey,
      files: p.files.map((f) => ({ name: f.name, text: f.text })),
    };
  }

  function runSimulate(files: { name: string; text: string }[]): SimulateResult {
    const sim = simulate(files);
    if (sim.model && sim.world) {
      model = sim.model;
      traced = sim.world;
    }
    return {
      diagnostics: sim.diagnostics,
      topology: sim.topology,
      flows: sim.flows,
      nodes: sim.model?.nodes.map((n) => n.name) ?? [],
      endpoints: sim.model ? flowEndpoints(sim.model) : { sources: [], targets: [] },
      bgp:
        sim.model?.network.cni === 'calico' ? bgpEvents(sim.model.network, sim.model.nodes) : null,
    };
  }

  function currentModel(): ClusterModel {
    if (!model) throw new RequestError('no cluster yet: simulate the manifests first');
    return model;
  }

  function dispatch(request: Request): ResultMap[RequestType] {
    switch (request.type) {
      case 'presets':
        return presets();
      case 'simulate':
        return runSimulate(request.files);
      case 'variants': {
        const parsed = parseManifests(request.files);
        const own = (axis: 'proxy' | 'cni') => variantId(currentVariant(parsed.objects, axis));
        return VARIANTS.map((v) => ({
          id: variantId(v),
          axis: v.kind,
          current: variantId(v) === own(v.kind),
        }));
      }
      case 'compare': {
        const variant = variantFromId(request.variant);
        if (!variant) throw new RequestError(`unknown data plane ${request.variant}`);
        return compareDataPlanes(request.files, request.flow, request.seed, variant, true);
      }
      case 'trace':
        try {
          // Every trace starts from the freshly built cluster, so the same flow and seed give
          // the same trace however often the learner re-runs it.
          const world = buildWorld(currentModel());
          const result = trace(world, request.flow, request.seed);
          traced = world;
          return result;
        } catch (e) {
          if (e instanceof FlowError) throw new RequestError(e.message);
          throw e;
        }
      case 'traffic':
        try {
          // A fresh world, like `trace`: the same request always gives the same histogram.
          return traffic(buildWorld(currentModel()), request.flow, {
            connections: request.connections,
            seed: request.seed,
            ...(request.sources ? { sources: request.sources } : {}),
          });
        } catch (e) {
          if (e instanceof FlowError) throw new RequestError(e.message);
          throw e;
        }
      case 'parse-flow': {
        const r = flowFromText(request.from, request.to, request.proto);
        if (!r.ok) throw new RequestError(r.error);
        return r.flow;
      }
      case 'pipeline': {
        currentModel();
        const view = pipelineOf(traced!, request.ns);
        if (!view) throw new RequestError(`no namespace named "${request.ns}"`);
        return view;
      }
      case 'dump': {
        currentModel();
        const out = dump(traced!, request.node, request.what);
        if ('error' in out) throw new RequestError(out.error);
        const result: DumpResult = { node: request.node, what: request.what, text: out.text };
        return result;
      }
      case 'debug-crash':
        throw new Error('debug-crash: the worker was asked to fail');
      case 'debug-hang':
        for (;;) {
          // Spin on purpose: the page's time budget must catch it.
        }
    }
  }

  /** Answers one request; throws RequestError for a request it cannot answer. */
  function handle<T extends RequestType>(request: Extract<Request, { type: T }>): ResultMap[T] {
    return dispatch(request) as ResultMap[T];
  }

  return { handle };
}
