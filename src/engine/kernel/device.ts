import type { Cidr4, Ip4 } from '../wire/ip';
import type { Mac } from '../wire/mac';
import type { DeviceKind } from '../sim/topology-types';

export type { DeviceKind };

/** An address on a device, as `ip addr` shows it. */
export interface IfAddr {
  ip: Ip4;
  prefix: Cidr4;
  scope: 'host' | 'link' | 'global';
}

/** Where the other end of a link is: a device in another (or the same) namespace. */
export interface DevRef {
  ns: string;
  dev: string;
}

export interface Device {
  name: string;
  kind: DeviceKind;
  ifindex: number;
  mac: Mac | null;
  mtu: number;
  up: boolean;
  addrs: IfAddr[];
  /** The bridge this device is enslaved to (`master cni0`). */
  master: string | null;
  /** veth: the other end. */
  peer: DevRef | null;
  /** phys: the L2 segment (underlay) the NIC is plugged into. */
  segment: string | null;
  /** Bridge port flag: send frames back out of the port they came in on. */
  hairpin: boolean;
  /** net.ipv4.conf.<dev>.proxy_arp */
  proxyArp: boolean;
  /** net.ipv4.conf.<dev>.rp_filter; the kernel applies the larger of this and `all`. */
  rpFilter: 0 | 1 | 2;
  /** A VXLAN device's settings (`ip link add ... type vxlan id VNI dstport P local A dev D`). */
  vxlan?: VxlanConfig;
  /** A TUN device: the user-space process holding /dev/net/tun for it, and what it does. */
  tun?: TunConfig;
}

/**
 * A TUN device and the process reading it, as flanneld's UDP backend runs it: each packet
 * routed into the device is read by the process, which sends it in a UDP datagram from and
 * to `port` on the host that owns the destination's subnet; the process there writes it into
 * its own TUN device.
 */
export interface TunConfig {
  process: string;
  port: number;
  peers: { cidr: Cidr4; ip: Ip4 }[];
}

/** One static entry of a VXLAN FDB: frames for `mac` go to the VTEP at `dst`. */
export interface VxlanFdbEntry {
  /** 00:00:00:00:00:00 is the default destination for unknown and broadcast frames. */
  mac: Mac;
  dst: Ip4;
}

export interface VxlanConfig {
  vni: number;
  /** UDP destination port: 4789 (IANA, Calico), 8472 (the Linux default, flannel). */
  dstport: number;
  /** Outer source address; null: chosen by the route to the remote VTEP. */
  local: Ip4 | null;
  /** The underlay device the outer packets leave by (`dev eth0`). */
  dev: string | null;
  /** `nolearning` turns this off: the FDB is then exactly what was configured. */
  learning: boolean;
  fdb: VxlanFdbEntry[];
}

/**
 * Bytes a tunnel adds: VXLAN = outer Ethernet 14 + IP 20 + UDP 8 + VXLAN 8; IPIP = one more
 * IP header. The device MTU is the underlay's minus this (1450 and 1480 on a 1500 underlay).
 */
export const TUNNEL_OVERHEAD = { vxlan: 50, ipip: 20, udp: 28 } as const;

export function newDevice(
  name: string,
  kind: DeviceKind,
  ifindex: number,
  mac: Mac | null,
  extra: Partial<Device> = {},
): Device {
  return {
    name,
    kind,
    ifindex,
    mac,
    mtu:
      kind === 'loopback'
        ? 65536
        : kind === 'vxlan'
          ? 1500 - TUNNEL_OVERHEAD.vxlan
          : kind === 'ipip'
            ? 1500 - TUNNEL_OVERHEAD.ipip
            : kind === 'tun'
              ? 1500 - TUNNEL_OVERHEAD.udp
              : 1500,
    up: true,
    addrs: [],
    master: null,
    peer: null,
    segment: null,
    hairpin: false,
    proxyArp: false,
    rpFilter: 0,
    ...extra,
  };
}
