import type { SourcePos } from '../diagnostics';
import type { LabModel } from './lab-model';

/**
 * Kubernetes objects after validation (src/manifests turns YAML into these). The engine
 * never sees raw YAML (DESIGN.md §7.2): every field here is typed, defaulted where
 * Kubernetes defaults it, and carries the position of the document it came from so later
 * stages (scheduling, the endpoints controller, kube-proxy) can report problems on a line.
 * Addresses stay strings in their usual text form; they were checked to be valid IPv4.
 */

export interface ObjectMeta {
  name: string;
  /** "default" when the manifest leaves it out; "" for cluster-scoped kinds (Node...). */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Where the object's document starts (its `kind:` line is used when present). */
  source: SourcePos;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPortSpec {
  name?: string;
  containerPort: number;
  protocol: Protocol;
  hostPort?: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  ports: ContainerPortSpec[];
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector: Record<string, string>;
  hostNetwork: boolean;
  containers: ContainerSpec[];
  /** spec.dnsPolicy when given (Kubernetes' default is ClusterFirst). */
  dnsPolicy?: DnsPolicy;
  /** spec.dnsConfig when given. */
  dnsConfig?: DnsConfig;
}

export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

/** A pod's spec.dnsConfig: merged into the resolv.conf kubelet writes. */
export interface DnsConfig {
  nameservers: string[];
  searches: string[];
  options: { name: string; value?: string }[];
}

export interface PodTemplate {
  labels: Record<string, string>;
  spec: PodSpec;
}

export interface NodeObject {
  kind: 'Node';
  meta: ObjectMeta;
  /** spec.podCIDR (or the first of spec.podCIDRs). */
  podCIDR?: string;
  /** status.addresses[type=InternalIP]. */
  internalIP?: string;
  /** `node-role.kubernetes.io/control-plane` etc. come through meta.labels. */
  unschedulable: boolean;
}

export interface PodObject {
  kind: 'Pod';
  meta: ObjectMeta;
  spec: PodSpec;
  status: {
    podIP?: string;
    hostIP?: string;
    /** From status.conditions[type=Ready]; undefined when the manifest says nothing. */
    ready?: boolean;
  };
}

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadObject {
  kind: WorkloadKind;
  meta: ObjectMeta;
  /** Defaults to 1 (ignored for DaemonSet: one pod per schedulable node). */
  replicas: number;
  /** spec.selector.matchLabels. */
  selector: Record<string, string>;
  template: PodTemplate;
  /** StatefulSet spec.serviceName. */
  serviceName?: string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServicePortSpec {
  name?: string;
  protocol: Protocol;
  port: number;
  /** A number, or the name of a container port; defaults to `port`. */
  targetPort: number | string;
  nodePort?: number;
  /** Where this port entry is, for diagnostics about it (nodePort range, clashes...). */
  source: SourcePos;
  /** Where its `nodePort:` value is, when given. */
  nodePortSource?: SourcePos;
}

export interface ServiceObject {
  kind: 'Service';
  meta: ObjectMeta;
  type: ServiceType;
  /** null: no selector (manual Endpoints/EndpointSlices). */
  selector: Record<string, string> | null;
  /** "None" for a headless service; undefined when the apiserver would allocate one. */
  clusterIP?: string;
  ports: ServicePortSpec[];
  externalIPs: string[];
  externalName?: string;
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds, default 10800. */
  sessionAffinityTimeout: number;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  loadBalancerSourceRanges: string[];
  /** status.loadBalancer.ingress[].ip */
  loadBalancerIngress: string[];
  /** spec.healthCheckNodePort (externalTrafficPolicy Local on a LoadBalancer). */
  healthCheckNodePort?: number;
  /** Where `spec.clusterIP` is, when given (for "not in the valid range" / "already allocated"). */
  clusterIPSource?: SourcePos;
  /** spec.publishNotReadyAddresses: not-ready pods count as ready endpoints. */
  publishNotReadyAddresses?: boolean;
  /** spec.loadBalancerIP (deprecated in Kubernetes, still read by MetalLB and cloud controllers). */
  loadBalancerIP?: string;
  loadBalancerIPSource?: SourcePos;
}

export interface EndpointPortSpec {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface EndpointAddressSpec {
  ip: string;
  nodeName?: string;
  /** targetRef of kind Pod: "namespace/name". */
  targetPod?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSliceObject {
  kind: 'EndpointSlice';
  meta: ObjectMeta;
  /** The `kubernetes.io/service-name` label. */
  serviceName?: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: EndpointAddressSpec[];
  ports: EndpointPortSpec[];
}

/** core/v1 Endpoints: each subset becomes its addresses (ready) and notReadyAddresses. */
export interface EndpointsObject {
  kind: 'Endpoints';
  meta: ObjectMeta;
  subsets: { addresses: EndpointAddressSpec[]; ports: EndpointPortSpec[] }[];
}

export interface ConfigMapObject {
  kind: 'ConfigMap';
  meta: ObjectMeta;
  data: Record<string, string>;
  /** Position of each data key's value, so embedded documents (config.conf, net-conf.json) report on their own lines. */
  dataSource: Record<string, SourcePos>;
  /** The kube-system/kube-proxy ConfigMap's `config.conf`, parsed (src/manifests). */
  kubeProxy?: KubeProxyConfig;
  /** The kube-flannel-cfg ConfigMap's `net-conf.json`, parsed (src/manifests). */
  flannel?: FlannelNetConf;
  /** The kube-system/coredns ConfigMap's `Corefile`, parsed (src/manifests/corefile.ts). */
  corefile?: CorefileConfig;
}

/**
 * What Packetwalk reads of a Corefile (docs/DNS.md): the first server block holding the
 * `kubernetes` plugin, its zones and options, `forward` and `cache`.
 */
export interface CorefileConfig {
  /** The server block's port (53 unless `.:PORT`). */
  port: number;
  /** The `kubernetes` plugin's zones as written: "cluster.local", "in-addr.arpa", "ip6.arpa". */
  kubernetesZones: string[];
  /** `pods insecure|verified|disabled` (CoreDNS's default when unset: disabled). */
  pods: 'insecure' | 'verified' | 'disabled';
  /** The `ttl` option of the kubernetes plugin (default 5). */
  ttl: number;
  /** `forward . TO...`: the upstreams (`/etc/resolv.conf` or addresses); null without forward. */
  forward: string[] | null;
  /** `cache SECONDS` (default 3600 when given without a number); null without cache. */
  cache: number | null;
  /** Every plugin named in the block, in order. */
  plugins: string[];
  source: SourcePos;
}

/** flannel's net-conf.json as written; defaults are filled in by the cluster model. */
export interface FlannelNetConf {
  network?: string;
  /** Backend.Type, lower-cased as flanneld compares it; undefined when it was not understood. */
  backendType?: 'vxlan' | 'host-gw' | 'udp';
  vni?: number;
  port?: number;
  directRouting?: boolean;
  /** Where the `Network` value is, for "podCIDR outside Network". */
  networkSource?: SourcePos;
  source: SourcePos;
}

/**
 * The KubeProxyConfiguration fields (kubeproxy.config.k8s.io/v1alpha1) Packetwalk models,
 * as written; defaults are filled in by the cluster model (docs/DEFAULTS.md).
 */
export interface KubeProxyConfig {
  mode?: 'iptables' | 'ipvs' | 'nftables' | 'userspace' | '';
  clusterCIDR?: string;
  masqueradeAll?: boolean;
  masqueradeBit?: number;
  localhostNodePorts?: boolean;
  ipvsScheduler?: string;
  source: SourcePos;
}

/** networking.k8s.io/v1 ServiceCIDR. */
export interface ServiceCIDRObject {
  kind: 'ServiceCIDR';
  meta: ObjectMeta;
  cidrs: string[];
}

/**
 * The one project kind (apiVersion packetwalk.dev/v1alpha1, kind Underlay): what
 * Kubernetes has no object for — the L2 segments the nodes sit on, the routers joining
 * them, and outside clients. See docs/DEFAULTS.md.
 */
export interface UnderlayObject {
  kind: 'Underlay';
  meta: ObjectMeta;
  segments: { name: string; cidr: string; gateway?: string }[];
  routers: { name: string; interfaces: { segment: string; ip: string }[] }[];
  /** `hosts`: the client's /etc/hosts entries (a URL flow's HOST is looked up there). */
  clients: {
    name: string;
    segment: string;
    ip: string;
    hosts?: { ip: string; hostnames: string[] }[];
  }[];
  /** Cloud load balancers in front of the NodePorts (docs/LOAD-BALANCERS.md). */
  loadBalancers: UnderlayLoadBalancerSpec[];
  /** Which segment each node's eth0 is on: node name -> segment name (default: the first). */
  nodeSegments: Record<string, string>;
}

/** One Underlay `spec.loadBalancers[]` entry: a one-arm L4 load balancer on a segment. */
export interface UnderlayLoadBalancerSpec {
  name: string;
  segment: string;
  /** Its own address on the segment (the source of the connections it opens to the nodes). */
  ip: string;
  /** Where it takes the Services' external IPs from when their status has none. */
  pool?: string;
  source: SourcePos;
}

/** One `spec.addresses` entry of a MetalLB IPAddressPool: a CIDR or an `A-B` range, as numbers. */
export interface AddressRange {
  text: string;
  first: number;
  last: number;
  source: SourcePos;
}

/** MetalLB IPAddressPool (metallb.io/v1beta1). */
export interface IPAddressPoolObject {
  kind: 'IPAddressPool';
  meta: ObjectMeta;
  addresses: AddressRange[];
  /** spec.autoAssign (default true). */
  autoAssign: boolean;
  /** spec.avoidBuggyIPs: skip addresses ending in .0 and .255. */
  avoidBuggyIPs: boolean;
}

/** MetalLB L2Advertisement / BGPAdvertisement (metallb.io/v1beta1). */
export interface MetalLBAdvertisementObject {
  kind: 'L2Advertisement' | 'BGPAdvertisement';
  meta: ObjectMeta;
  /** spec.ipAddressPools; empty: every pool. */
  ipAddressPools: string[];
  /** spec.nodeSelectors[].matchLabels; empty: every node. */
  nodeSelectors: Record<string, string>[];
}

/**
 * Project kind `Lab` (apiVersion packetwalk.dev/v1alpha1, docs/LAB.md): a hand-built
 * topology of namespaces, devices, routes and rulesets instead of a cluster.
 */
export interface LabObject {
  kind: 'Lab';
  meta: ObjectMeta;
  lab: LabModel;
}

export type CalicoEncapMode = 'Never' | 'Always' | 'CrossSubnet';

/** Calico IPPool (crd.projectcalico.org/v1 or projectcalico.org/v3). */
export interface IPPoolObject {
  kind: 'IPPool';
  meta: ObjectMeta;
  cidr: string;
  ipipMode: CalicoEncapMode;
  vxlanMode: CalicoEncapMode;
  natOutgoing: boolean;
  /** Size of each node's block (default 26). */
  blockSize: number;
  disabled: boolean;
  cidrSource?: SourcePos;
}

/** Calico BGPConfiguration (the `default` one is the cluster's). */
export interface BGPConfigurationObject {
  kind: 'BGPConfiguration';
  meta: ObjectMeta;
  nodeToNodeMeshEnabled?: boolean;
  asNumber?: number;
}

/** Calico BGPPeer: with `peerSelector`, the nodes chosen by `nodeSelector` peer with those nodes. */
export interface BGPPeerObject {
  kind: 'BGPPeer';
  meta: ObjectMeta;
  nodeSelector?: string;
  peerSelector?: string;
  peerIP?: string;
  asNumber?: number;
}

export type IngressPathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** An Ingress backend: a Service port (by number or name), or a resource (not served by ingress-nginx). */
export interface IngressBackendSpec {
  service?: { name: string; port: number | string };
  resource?: { kind: string; name: string };
  source: SourcePos;
}

export interface IngressPathSpec {
  path: string;
  pathType: IngressPathType;
  backend: IngressBackendSpec;
  source: SourcePos;
}

export interface IngressRuleSpec {
  /** Absent: every host. May start with `*.` (one DNS label). */
  host?: string;
  paths: IngressPathSpec[];
  source: SourcePos;
}

/** networking.k8s.io/v1 Ingress (docs/INGRESS.md); annotations stay in `meta.annotations`. */
export interface IngressObject {
  kind: 'Ingress';
  meta: ObjectMeta;
  ingressClassName?: string;
  defaultBackend?: IngressBackendSpec;
  rules: IngressRuleSpec[];
  tls: { hosts: string[]; secretName?: string; source: SourcePos }[];
}

/** networking.k8s.io/v1 IngressClass. */
export interface IngressClassObject {
  kind: 'IngressClass';
  meta: ObjectMeta;
  controller: string;
  /** The `ingressclass.kubernetes.io/is-default-class: "true"` annotation. */
  isDefault: boolean;
}

export type KubeObject =
  | IngressObject
  | IngressClassObject
  | NodeObject
  | PodObject
  | WorkloadObject
  | ServiceObject
  | EndpointSliceObject
  | EndpointsObject
  | ConfigMapObject
  | ServiceCIDRObject
  | UnderlayObject
  | LabObject
  | IPPoolObject
  | BGPConfigurationObject
  | BGPPeerObject
  | IPAddressPoolObject
  | MetalLBAdvertisementObject;

export type KubeKind = KubeObject['kind'];
