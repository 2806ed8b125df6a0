import {
  buildWorld,
  clusterModel,
  FlowError,
  hasErrors,
  summarizeTrace,
  topologyOf,
  trace,
  type Diagnostic,
  type FlowSpec,
  type KubeObject,
  type Trace,
  type TopologyView,
  type TraceSummary,
} from '../engine';
import { parseManifests, type ManifestFile } from '../manifests';
import { applyVariant, currentVariant, variantId, type DataPlaneVariant } from './variants';

/** One side of a comparison: the data plane, and what the flow did on it. */
export interface CompareSide {
  /** A variant id ("proxy:ipvs", "cni:calico-bgp"). */
  variant: string;
  /** The summary of the trace, or why there is none. */
  summary: TraceSummary | null;
  error: string | null;
  /** Errors and warnings building this side (a variant can make a cluster invalid). */
  diagnostics: Diagnostic[];
  /** With `detail`: the side's whole trace and topology, to draw it on a canvas of its own. */
  trace?: Trace;
  topology?: TopologyView;
}

export interface Comparison {
  a: CompareSide;
  b: CompareSide;
}

function side(
  objects: KubeObject[],
  id: string,
  flow: FlowSpec,
  seed: number,
  detail: boolean,
): CompareSide {
  const cluster = clusterModel(objects);
  const base = { variant: id, diagnostics: cluster.diagnostics };
  if (hasErrors(cluster.diagnostics))
    return {
      ...base,
      summary: null,
      error: cluster.diagnostics.find((d) => d.severity === 'error')!.message,
    };
  try {
    const world = buildWorld(cluster.model);
    // The topology before the trace: the world as built, as the page draws any scenario.
    const topology = detail ? topologyOf(world) : undefined;
    const t = trace(world, flow, seed);
    return {
      ...base,
      summary: summarizeTrace(t),
      error: null,
      ...(detail ? { trace: t, topology: topology! } : {}),
    };
  } catch (e) {
    if (e instanceof FlowError) return { ...base, summary: null, error: e.message };
    throw e;
  }
}

/**
 * The flow traced with the same seed on the scenario as written (side a) and on the same
 * cluster with another data plane (side b). Each side is its own world, built from scratch.
 */
export function compareDataPlanes(
  files: readonly ManifestFile[],
  flow: FlowSpec,
  seed: number,
  variant: DataPlaneVariant,
  /** Also return each side's trace and topology (the page's side-by-side canvases). */
  detail = false,
): Comparison | { error: string } {
  const parsed = parseManifests(files);
  if (hasErrors(parsed.diagnostics))
    return { error: parsed.diagnostics.find((d) => d.severity === 'error')!.message };
  const here = currentVariant(parsed.objects, variant.kind);
  return {
    a: side(parsed.objects, variantId(here), flow, seed, detail),
    b: side(applyVariant(parsed.objects, variant), variantId(variant), flow, seed, detail),
  };
}
