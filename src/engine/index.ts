/**
 * The engine's only import surface (DESIGN.md §2). Every other layer imports from here.
 */
export * from './wire/ip';
export * from './wire/mac';
export type * from './wire/packet';
export * from './diagnostics';
export type * from './sim/trace-types';
export { TRACE_VERSION } from './sim/trace-types';
export type * from './sim/topology-types';
export type * from './kube/model';
export type * from './kube/objects';
export type * from './kube/lab-model';
export { clusterModel, type ClusterResult } from './kube/cluster';
export { CLUSTER_DEFAULTS, FLANNEL_DEFAULTS } from './kube/cluster-network';
export { suggestFlows, type FlowOption } from './sim/flows';
export { parseEndpoint, type ParsedEndpoint } from './sim/endpoint-syntax';
export { flowFromText, flowEndpoints } from './sim/flow-text';
export { createRng, type Rng } from './sim/rng';
export type { World } from './kernel/world';
export { buildWorld } from './kube/world';
export { kubeProxyRules, KUBE_PROXY_VERSION } from './kube/proxy/public';
export { trace, FlowError } from './sim/trace';
export {
  traffic,
  MAX_CONNECTIONS,
  type TrafficOptions,
  type TrafficResult,
  type ConnectionSummary,
} from './sim/traffic';
export type { ExpectedShare } from './sim/expected-share';
export { topologyOf } from './sim/topology';
export {
  pipelineOf,
  HOOKS,
  type PipelineView,
  type PipelineStage,
  type PipelineChain,
} from './sim/pipeline';
export { dump, DUMP_WHATS, type DumpWhat } from './sim/dump';
export { formatTraceText, flowLabel, endpointLabel, packetSummary } from './sim/format-text';
export { summarizeTrace, type TraceSummary } from './sim/trace-summary';
export {
  createNetfilterState,
  restore as iptablesRestore,
  save as iptablesSave,
  ipsetRestore,
  ipsetList,
  ipvsRestore,
  ipvsadm,
  conntrackList,
  type NetfilterState,
  type RestoreOptions as IptablesRestoreOptions,
  type SaveOptions as IptablesSaveOptions,
} from './netfilter/index';
export { bgpEvents, type BgpEvent } from './kube/cni/calico-bgp';
