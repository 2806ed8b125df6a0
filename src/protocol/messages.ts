import type {
  Diagnostic,
  DumpWhat,
  EndpointSpec,
  FlowSpec,
  TopologyView,
  BgpEvent,
  PipelineView,
  Trace,
  TraceSummary,
  TrafficResult,
} from '../engine';

// The engine's data types the page needs, re-exported: src/ui and src/store may import
// types from protocol only (DESIGN.md §2), never from the engine.
export type {
  Diagnostic,
  Severity,
  DumpWhat,
  FlowSpec,
  EndpointSpec,
  TopologyView,
  NodeView,
  NamespaceView,
  DeviceView,
  LinkView,
  SegmentView,
  DeviceKind,
  Trace,
  TraceEvent,
  TraceEventKind,
  PacketView,
  Outcome,
  Hook,
  TableName,
  Direction,
  DeliveredView,
  TrafficResult,
  ConnectionSummary,
  PipelineView,
  PipelineStage,
  PipelineChain,
  BgpEvent,
} from '../engine';

/**
 * The messages between the page (src/bridge) and the engine's worker (src/worker): a
 * tagged union with a version number, so a stale worker bundle is detected instead of
 * misread. Everything is structured-clone friendly plain data. See docs/ARCHITECTURE.md.
 */
export const PROTOCOL_VERSION = 1;

/** One YAML file of a scenario as the user typed it. */
export interface SourceText {
  name: string;
  text: string;
}

/** A flow the UI offers: the engine's FlowSpec and a stable label in CLI syntax. */
export interface FlowChoice {
  id: string;
  label: string;
  flow: FlowSpec;
}

export interface ScenarioPreset {
  id: string;
  /** i18n key of the title; the UI translates it. */
  titleKey: string;
  files: SourceText[];
  /**
   * The flow to trace first, in CLI syntax: an id of `flows` after simulating the files, or
   * a flow the page asks the engine to parse (`parse-flow`) when it is not among them.
   */
  defaultFlow: string;
}

export interface SimulateResult {
  /** Every problem in the files, with its line. */
  diagnostics: Diagnostic[];
  /** null when errors stopped the build: the page keeps showing the last good topology. */
  topology: TopologyView | null;
  flows: FlowChoice[];
  /** Node names, for the dump picker. */
  nodes: string[];
  /** What a custom flow can start from and go to, in the CLI's syntax. */
  endpoints: { sources: string[]; targets: string[] };
  /** Calico's BGP route exchange, step by step; null without Calico. */
  bgp: BgpEvent[] | null;
}

export interface DumpResult {
  node: string;
  what: DumpWhat;
  text: string;
}

export type Request =
  | { type: 'presets' }
  | { type: 'simulate'; files: SourceText[] }
  | { type: 'trace'; flow: FlowSpec; seed: number }
  | { type: 'dump'; node: string; what: DumpWhat }
  /** A flow typed in the CLI's syntax, checked and turned into a FlowChoice. */
  | { type: 'parse-flow'; from: string; to: string; proto: FlowSpec['proto'] }
  /** A namespace's netfilter hooks, tables, chains and rules, after the last trace. */
  | { type: 'pipeline'; ns: string }
  /** Many connections of one flow (traffic mode), each a real trace on one shared world. */
  | { type: 'traffic'; flow: FlowSpec; connections: number; seed: number; sources?: EndpointSpec[] }
  /** The data planes the compare view offers for these files, and which one they use now. */
  | { type: 'variants'; files: SourceText[] }
  /** The flow on these files as written and on the same cluster with another data plane. */
  | { type: 'compare'; files: SourceText[]; flow: FlowSpec; seed: number; variant: string }
  /** Test hooks: make the worker throw or spin, to exercise crash and time-out recovery. */
  | { type: 'debug-crash' }
  | { type: 'debug-hang' };

export interface ResultMap {
  presets: ScenarioPreset[];
  simulate: SimulateResult;
  trace: Trace;
  dump: DumpResult;
  pipeline: PipelineView;
  'parse-flow': FlowChoice;
  traffic: TrafficResult;
  variants: VariantInfo[];
  compare: CompareResult;
  'debug-crash': never;
  'debug-hang': never;
}

export type RequestType = Request['type'];

/** A data plane the compare view can put next to the scenario's own. */
export interface VariantInfo {
  /** "proxy:iptables", "proxy:ipvs", "cni:flannel-vxlan", "cni:calico-bgp"… */
  id: string;
  axis: 'proxy' | 'cni';
  /** The scenario's own data plane on this axis. */
  current: boolean;
}

export type { TraceSummary };

/** One side of a comparison: a data plane, and what the flow did on it. */
export interface CompareSide {
  variant: string;
  summary: TraceSummary | null;
  /** Why there is no trace on this side (the flow does not resolve, the cluster is invalid). */
  error: string | null;
  diagnostics: Diagnostic[];
  /** The side's whole trace and topology (for the side-by-side canvases). */
  trace?: Trace;
  topology?: TopologyView;
}

export type CompareResult = { a: CompareSide; b: CompareSide } | { error: string };

/** page -> worker */
export interface RequestEnvelope {
  v: typeof PROTOCOL_VERSION;
  id: number;
  request: Request;
}

/** worker -> page */
export type ResponseEnvelope =
  | { v: typeof PROTOCOL_VERSION; id: number; ok: true; result: ResultMap[RequestType] }
  | { v: typeof PROTOCOL_VERSION; id: number; ok: false; error: string }
  /** Sent once when the worker has loaded, before any request is answered. */
  | { v: typeof PROTOCOL_VERSION; id: 0; ready: true };
