/**
 * What the UI draws: the world's namespaces, devices and links, as plain data.
 * Built by the engine from the world (never by hand in the UI).
 */

export type DeviceKind =
  'loopback' | 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'tun' | 'dummy' | 'phys';

export interface DeviceView {
  /** Unique across the world: `${nsId}:${name}`. */
  id: string;
  name: string;
  kind: DeviceKind;
  mac: string | null;
  /** "10.244.0.2/24" */
  addrs: string[];
  mtu: number;
  up: boolean;
  /** The bridge this device is a port of. */
  master: string | null;
  /** For a veth: the id of its peer. */
  peer: string | null;
  /** Addresses a speaker answers ARP for on this NIC without holding them (MetalLB L2). */
  announces?: string[];
}

export interface NamespaceView {
  /** The `ns` of trace events: node name for a root namespace, `NS/POD` for a pod. */
  id: string;
  node: string;
  kind: 'root' | 'pod' | 'host';
  /** Pod namespace/name for pod namespaces. */
  pod?: { namespace: string; name: string; ip: string; labels: Record<string, string> };
  devices: DeviceView[];
}

export interface NodeView {
  name: string;
  /** A Kubernetes node, an outside host (client, router), or a cloud load balancer. */
  kind: 'node' | 'outside' | 'loadbalancer';
  /** A namespace of a Lab: a plain Linux machine, not a Kubernetes node. */
  lab?: true;
  /**
   * A load balancer's listeners, for labels: each Service port (`service` is "NS/NAME"), its
   * address and port, and the nodes it spreads over (their NodePort is `nodePort`).
   */
  balances?: {
    service: string;
    vip: string;
    port: number;
    protocol: 'TCP' | 'UDP';
    nodePort: number;
    targets: string[];
  }[];
  /** The node's InternalIP / the host's address. */
  ip: string;
  podCIDR: string | null;
  namespaces: NamespaceView[];
}

export interface LinkView {
  id: string;
  kind: 'veth' | 'bridge-port' | 'wire' | 'tunnel';
  a: string;
  b: string;
}

/** An L2 segment of the underlay (a switch) that hosts' NICs are wired to. */
export interface SegmentView {
  /** The `b` end of `wire` links: `segment:${name}`. */
  id: string;
  name: string;
  cidr: string;
}

export interface TopologyView {
  nodes: NodeView[];
  links: LinkView[];
  segments: SegmentView[];
}
