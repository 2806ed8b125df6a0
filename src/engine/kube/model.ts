import type { SourcePos } from '../diagnostics';
import type { LabModel } from './lab-model';
import type { DnsConfig, DnsPolicy, IngressPathType } from './objects';

/**
 * The cluster after the control plane has done its work: pods scheduled and addressed,
 * defaults filled in. Built from validated Kubernetes objects by `clusterModel()`
 * (engine/kube/cluster.ts) and turned into kernel state by `buildWorld()`.
 * Plain data, addresses as strings in their usual text form.
 */
export interface ClusterModel {
  network: NetworkModel;
  nodes: NodeModel[];
  pods: PodModel[];
  /** Services after the apiserver's allocation (ClusterIPs, NodePorts) — see services.ts. */
  services?: ServiceModel[];
  /** EndpointSlices as the endpoints controller (or the user) made them. */
  endpointSlices?: EndpointSliceModel[];
  /** kube-proxy's settings on every node. */
  kubeProxy?: KubeProxyModel;
  /** A lab topology (project kind Lab) instead of a cluster: nodes and pods are then empty. */
  lab?: LabModel;
  /**
   * Who gives LoadBalancer Services their addresses and brings the traffic to the cluster:
   * MetalLB (IPAddressPools) or a cloud load balancer the Underlay declares. Absent: the
   * addresses in `status.loadBalancer.ingress` are announced by one node (outside.ts).
   */
  loadBalancing?: LoadBalancingModel;
  /** The cluster DNS, when the scenario runs CoreDNS (docs/DEFAULTS.md). */
  dns?: DnsModel;
  /** The ingress-nginx controller and the nginx.conf it made of the Ingresses (docs/INGRESS.md). */
  ingress?: IngressModel;
}

/** ingress-nginx as its deploy manifests install it, and the servers it generated. */
export interface IngressModel {
  /** "ingress-nginx/ingress-nginx-controller". */
  deployment: string;
  /** The Service in front of it ("ingress-nginx/ingress-nginx-controller"). */
  service: string;
  /** The controller's pods ("ingress-nginx/ingress-nginx-controller-..."). */
  pods: string[];
  /** --ingress-class / --controller-class. */
  className: string;
  controllerClass: string;
  /** The Ingresses it serves ("namespace/name"). */
  ingresses: string[];
  /** nginx `server` blocks, one per host; the catch-all `_` last. */
  servers: IngressServerModel[];
}

export interface IngressServerModel {
  /** server_name: a host, `*.suffix`, or `_` (the default server). */
  name: string;
  /** A TLS section names this host: listen 443 ssl with that secret (null: the fake certificate). */
  tls: { secretName: string | null } | null;
  /** nginx.ingress.kubernetes.io/app-root of the Ingress defining the host. */
  appRoot?: string;
  /** `location ~*` regex locations: use-regex or rewrite-target on one of its paths. */
  regex: boolean;
  /** Longest path first, as the controller sorts them; the default `/` location last. */
  locations: IngressLocationModel[];
}

export interface IngressLocationModel {
  path: string;
  /** `default`: the server's own `location /` to the default backend. */
  pathType: IngressPathType | 'default';
  /** "namespace/name" of the Ingress, or null for the default location. */
  ingress: string | null;
  /** null: the controller's default backend (404). */
  backend: IngressBackendModel | null;
  rewriteTarget?: string;
  sslRedirect: boolean;
  proxyBodySize: string;
  source?: SourcePos;
}

export interface IngressBackendModel {
  /** "namespace/name" of the Service. */
  service: string;
  /** The service port as the Ingress names it (a number or a port name). */
  port: number | string;
  /** Ready endpoints of that port as IP:targetPort, the upstream's servers. */
  endpoints: string[];
  /** Why there is no upstream (service not found, no such port): the controller answers 503. */
  problem?: string;
}

export type LoadBalancingModel =
  | { provider: 'metallb'; announcements: MetalLBAnnouncement[] }
  | { provider: 'cloud'; balancers: CloudLoadBalancerModel[] };

/** One LoadBalancer IP MetalLB assigned, and how its speakers make it reachable. */
export interface MetalLBAnnouncement {
  /** "namespace/name" */
  service: string;
  ip: string;
  pool: string;
  /** l2: the elected node answers ARP; bgp: routers send it to `node`; none: no advertisement. */
  mode: 'l2' | 'bgp' | 'none';
  /** The announcing node; undefined when no node may announce (no ready endpoint, selectors). */
  node?: string;
}

/** A cloud load balancer (Underlay spec.loadBalancers[]): a one-arm L4 LB in SNAT mode. */
export interface CloudLoadBalancerModel {
  name: string;
  segment: string;
  /** Its own address: the source of the connections it opens to the nodes. */
  ip: string;
  /** What it balances: one entry per Service port with a NodePort. */
  listeners: CloudLBListener[];
}

export interface CloudLBListener {
  /** "namespace/name" */
  service: string;
  vip: string;
  protocol: 'TCP' | 'UDP';
  port: number;
  nodePort: number;
  /** The nodes it spreads over, in node order (Local policy: those passing the health check). */
  targets: { node: string; ip: string }[];
  /** Local policy: the port its health check asks on each node. */
  healthCheckNodePort?: number;
}

export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortModel {
  name?: string;
  protocol: L4Protocol;
  port: number;
  /** A number, or the name of a container port (resolved per pod by the endpoints controller). */
  targetPort: number | string;
  nodePort?: number;
}

export interface ServiceModel {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** null for headless (`clusterIP: None`) and ExternalName services. */
  clusterIP: string | null;
  ports: ServicePortModel[];
  /** null: no selector, the user supplies Endpoints/EndpointSlices. */
  selector: Record<string, string> | null;
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  /** ClientIP affinity: the `recent` timeout in seconds; null for no affinity. */
  affinitySeconds: number | null;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  externalName?: string;
  source?: SourcePos;
}

export interface EndpointModel {
  ip: string;
  nodeName?: string;
  /** "namespace/name" of the pod behind it. */
  targetPod?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** One discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSliceModel {
  namespace: string;
  name: string;
  /** The `kubernetes.io/service-name` label. */
  service: string;
  /** "endpointslice-controller.k8s.io", "endpointslicemirroring-controller.k8s.io" or "user". */
  managedBy: string;
  ports: { name?: string; port: number; protocol: L4Protocol }[];
  endpoints: EndpointModel[];
}

export interface KubeProxyModel {
  mode: 'iptables' | 'ipvs' | 'nftables' | 'userspace';
  /** For "traffic from outside the cluster" masquerading; null turns the local detector off. */
  clusterCIDR: string | null;
  masqueradeAll: boolean;
  /** iptables.masqueradeBit (default 14: mark 0x4000). */
  masqueradeBit: number;
  /** iptables.localhostNodePorts (default true). */
  localhostNodePorts: boolean;
  ipvsScheduler: string;
}

export interface NetworkModel {
  /** The cluster's pod network, e.g. "10.244.0.0/16" (kube-proxy clusterCIDR / flannel Network). */
  clusterCIDR: string;
  /** Service IP range, e.g. "10.96.0.0/12". */
  serviceCIDR: string;
  /**
   * The CNI data plane: "flannel" (the default: cni0 per node plus flannel's backend between
   * nodes), "calico" (routed, no bridge), or "bridge" (cni0 per node and nothing between nodes).
   */
  cni: 'bridge' | 'flannel' | 'calico';
  /** flannel's net-conf.json, with defaults filled in (cni "flannel"). */
  flannel?: FlannelModel;
  /** Calico's IPPool and BGP settings (cni "calico"). */
  calico?: CalicoModel;
  /** Name of the per-node bridge ("cni0"; "docker0" for a Docker-style scenario). */
  bridgeName: string;
  /** net.bridge.bridge-nf-call-iptables: Kubernetes requires it on. */
  brNetfilter: boolean;
  /** The underlay L2 segment the nodes' eth0 sit on, e.g. "192.168.56.0/24" (the first segment). */
  underlayCIDR: string;
  /** Outside clients (Underlay `spec.clients`): hosts on a segment a flow can start from. */
  /** `hosts`: the client's /etc/hosts entries (a URL flow's HOST is looked up there). */
  clients?: {
    name: string;
    segment: string;
    ip: string;
    hosts?: { ip: string; hostnames: string[] }[];
  }[];
  /** Every underlay segment and the routers between them (project kind Underlay); absent: one segment. */
  underlay?: UnderlayModel;
}

export type CalicoEncap = 'Never' | 'Always' | 'CrossSubnet';

export interface CalicoModel {
  /** The (first enabled) IPPool. */
  pool: {
    cidr: string;
    ipipMode: CalicoEncap;
    vxlanMode: CalicoEncap;
    natOutgoing: boolean;
    blockSize: number;
  };
  /** BGPConfiguration nodeToNodeMeshEnabled (default true). */
  mesh: boolean;
  /** BGPConfiguration asNumber (default 64512). */
  asNumber: number;
  /** BGPPeers: nodes matching nodeSelector peer with nodes matching peerSelector. */
  peers: { name: string; nodeSelector: string; peerSelector?: string; peerIP?: string }[];
  source?: SourcePos;
}

export interface FlannelModel {
  /** net-conf.json `Network`. */
  network: string;
  backend: 'vxlan' | 'host-gw' | 'udp';
  /** VXLAN: `VNI` (1) and `Port` (8472, the kernel's default); UDP: `Port` (8285). */
  vni: number;
  port: number;
  /** VXLAN `DirectRouting`: host-gw routes to peers on the same segment, VXLAN to the others. */
  directRouting: boolean;
  /** The kube-flannel-cfg ConfigMap's net-conf.json, when one was given. */
  source?: SourcePos;
}

export interface UnderlaySegmentModel {
  name: string;
  cidr: string;
  /** The nodes' default gateway on this segment (.1 unless given). */
  gateway: string;
}

export interface UnderlayModel {
  segments: UnderlaySegmentModel[];
  /** Routers: a namespace with ip_forward=1 and one NIC per segment it joins. */
  routers: { name: string; interfaces: { segment: string; ip: string }[] }[];
  /** node name -> segment name (default: the first segment). */
  nodeSegments: Record<string, string>;
  /** Cloud load balancers in front of the NodePorts (spec.loadBalancers). */
  loadBalancers?: {
    name: string;
    segment: string;
    ip: string;
    pool?: string;
    source?: SourcePos;
  }[];
}

export interface NodeModel {
  name: string;
  /** InternalIP on the underlay. */
  internalIP: string;
  /** This node's slice of the pod network, e.g. "10.244.0.0/24"; the bridge takes .1. */
  podCIDR: string;
  /** Node labels (kubernetes.io/hostname always set), for nodeSelector. */
  labels: Record<string, string>;
  /** false for a cordoned node (spec.unschedulable). */
  schedulable: boolean;
  /** The underlay segment its eth0 is plugged into (the first segment when not given). */
  segment?: string;
  /** Calico: the `projectcalico.org/RouteReflectorClusterID` annotation makes it a route reflector. */
  routeReflectorClusterID?: string;
  source?: SourcePos;
}

export interface ContainerPortModel {
  name?: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface PodModel {
  namespace: string;
  name: string;
  node: string;
  ip: string;
  labels: Record<string, string>;
  ready: boolean;
  hostNetwork: boolean;
  /** Every containerPort declared by the pod's containers: the sockets listening in the pod. */
  ports: ContainerPortModel[];
  /** The workload it belongs to ("Deployment/web"), for display. */
  owner?: string;
  /** spec.dnsPolicy, when the pod gives one (absent: ClusterFirst). */
  dnsPolicy?: DnsPolicy;
  /** spec.dnsConfig, when given. */
  dnsConfig?: DnsConfig;
  source?: SourcePos;
}

/**
 * The cluster DNS (docs/DNS.md): CoreDNS behind the kube-system/kube-dns Service, as the
 * Corefile configures its `kubernetes` plugin.
 */
export interface DnsModel {
  /** The kube-dns Service's ClusterIP: every ClusterFirst pod's nameserver. */
  clusterIP: string | null;
  /** The cluster domain: the first forward zone of the kubernetes plugin ("cluster.local"). */
  domain: string;
  /** Reverse zones it answers PTR queries for ("in-addr.arpa"). */
  reverseZones: string[];
  pods: 'insecure' | 'verified' | 'disabled';
  /** TTL of every answer from the kubernetes plugin. */
  ttl: number;
  forward: string[] | null;
  cache: number | null;
}
