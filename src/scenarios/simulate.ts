import {
  buildWorld,
  clusterModel,
  hasErrors,
  suggestFlows,
  topologyOf,
  type ClusterModel,
  type Diagnostic,
  type FlowOption,
  type TopologyView,
  type World,
} from '../engine';
import { parseManifests, type ManifestFile } from '../manifests';

/** Everything one edit of the manifests produces. */
export interface Simulation {
  diagnostics: Diagnostic[];
  /** null when errors stopped the pipeline: callers keep the last good one. */
  model: ClusterModel | null;
  world: World | null;
  topology: TopologyView | null;
  flows: FlowOption[];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
}

/** Manifests → validated objects → cluster model → kernel world, stopping at the first stage with errors. */
export function simulate(files: readonly ManifestFile[]): Simulation {
  const parsed = parseManifests(files);
  const diagnostics = [...parsed.diagnostics];
  const empty = { model: null, world: null, topology: null, flows: [] };
  if (hasErrors(diagnostics)) return { diagnostics: diagnostics.sort(byPosition), ...empty };
  const cluster = clusterModel(parsed.objects);
  diagnostics.push(...cluster.diagnostics);
  diagnostics.sort(byPosition);
  if (hasErrors(diagnostics)) return { diagnostics, ...empty };
  const world = buildWorld(cluster.model);
  return {
    diagnostics,
    model: cluster.model,
    world,
    topology: topologyOf(world),
    flows: suggestFlows(cluster.model),
  };
}
