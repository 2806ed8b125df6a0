import type { SourcePos } from '../diagnostics';

/**
 * A lab topology (project kind `Lab`, docs/LAB.md): network namespaces, the devices in them,
 * addresses, routes, sysctls and iptables rulesets, as one would build them by hand with
 * `ip netns`, `ip link`, `ip addr`, `ip route`, `sysctl` and `iptables-restore`. Plain data,
 * addresses as text; src/manifests validated it. The engine turns it into a World
 * (`buildLabWorld`), and the kernel differential tests build the very same model in real
 * namespaces, so both sides can never describe different topologies.
 */
export interface LabModel {
  name: string;
  namespaces: LabNamespace[];
  /** The flows offered first, in CLI syntax (`node:test1` → `ip:192.168.1.2`). */
  flows: LabFlow[];
}

export type LabDeviceType = 'veth' | 'bridge' | 'dummy' | 'vxlan' | 'ipip' | 'tun' | 'phys';

/**
 * A TUN device and the process reading it (flanneld's UDP backend): packets routed into the
 * device travel in UDP from `port` to `port` on the host owning the destination's subnet.
 */
export interface LabTun {
  process: string;
  port: number;
  peers: { cidr: string; ip: string }[];
}

/** `ip link add NAME type vxlan id VNI dstport PORT [local A] [dev D] [nolearning]`. */
export interface LabVxlan {
  vni: number;
  /** Default 8472, the Linux default (flannel keeps it; Calico and IANA use 4789). */
  dstport: number;
  local?: string;
  dev?: string;
  /** Default true, as `ip link` has it; flannel and Calico turn it off. */
  learning: boolean;
}

export interface LabInterface {
  name: string;
  type: LabDeviceType;
  /** `ip addr add` arguments, "192.168.1.1/24". */
  addresses: string[];
  /** veth: the other end, "NAMESPACE/DEVICE" (created with this one). */
  peer?: string;
  /** `ip link set DEV master BRIDGE`. */
  master?: string;
  mac?: string;
  mtu?: number;
  /** `bridge link set dev DEV hairpin on`. */
  hairpin?: boolean;
  vxlan?: LabVxlan;
  tun?: LabTun;
  /** phys: the L2 segment (a switch) the NIC is plugged into; NICs on one segment hear each other. */
  segment?: string;
  /** VXLAN: `bridge fdb append MAC dev DEV dst VTEP` (00:00:00:00:00:00 for the default). */
  fdb?: { mac: string; dst: string }[];
  source?: SourcePos;
}

export interface LabRoute {
  /** "default" or a prefix ("10.0.0.0/8", a bare address is a /32). */
  to: string;
  type?: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';
  via?: string;
  dev?: string;
  src?: string;
  metric?: number;
  onlink?: boolean;
  scope?: 'link' | 'host' | 'global';
  proto?: 'static' | 'boot' | 'kernel' | 'bird';
  source?: SourcePos;
}

export interface LabNeighbour {
  ip: string;
  mac: string;
  dev: string;
}

export interface LabListener {
  proto: 'tcp' | 'udp';
  port: number;
  /** Bind address; default 0.0.0.0. */
  ip?: string;
  process?: string;
}

export interface LabNamespace {
  name: string;
  /**
   * The machine the namespace lives on, for drawing and for `ns`/`node` in traces: a
   * namespace without `host` is a machine of its own (its root namespace).
   */
  host?: string;
  /** `sysctl -w` keys and values, e.g. `net.ipv4.ip_forward: "1"`. */
  sysctls: Record<string, string>;
  interfaces: LabInterface[];
  routes: LabRoute[];
  neighbours: LabNeighbour[];
  listeners: LabListener[];
  /** An iptables-save text loaded with iptables-restore. */
  iptables?: string;
  /** Where `iptables` starts (its first line), for diagnostics in the ruleset. */
  iptablesSource?: SourcePos;
  source?: SourcePos;
}

export interface LabFlow {
  from: string;
  to: string;
  proto: 'tcp' | 'udp' | 'icmp';
  port?: number;
}

/** `net.ipv4.conf.DEV.proxy_arp` / `.rp_filter` / `.route_localnet` name a device. */
export const LAB_DEV_SYSCTL = /^net\.ipv4\.conf\.([^.]+)\.(proxy_arp|rp_filter)$/;
