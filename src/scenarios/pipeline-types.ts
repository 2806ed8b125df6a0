import type { Diagnostic } from '../engine/diagnostics';
import type { FlowSpec } from '../engine/sim/trace-types';
import type { TopologyView } from '../engine/sim/topology-types';

/** One YAML file of a scenario, as the user typed it. */
export interface SourceFile {
  name: string;
  text: string;
}

/** A flow the UI offers in its picker: the engine's FlowSpec plus a display label. */
export interface FlowOption {
  id: string;
  /** Stable, i18n-free label in CLI syntax, e.g. "pod:default/web-7d4b9-abcde → pod:default/web-7d4b9-fghij tcp/80". */
  label: string;
  flow: FlowSpec;
}
export interface SimulationSummary {
  diagnostics: Diagnostic[];
  /** null when errors stopped the build (the UI keeps showing the last good one). */
  topology: TopologyView | null;
  flows: FlowOption[];
}
