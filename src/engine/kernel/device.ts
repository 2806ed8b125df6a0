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
}

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
    mtu: kind === 'loopback' ? 65536 : 1500,
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
