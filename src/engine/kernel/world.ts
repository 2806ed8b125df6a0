import type { Cidr4, Ip4 } from '../wire/ip';
import type { DevRef } from './device';
import type { Netns } from './netns';

/** An L2 segment of the underlay (a switch): the NICs plugged into it. */
export interface Segment {
  name: string;
  cidr: Cidr4;
  members: DevRef[];
}

/** What a load-balancer host spreads: one Service port over the nodes' NodePort. */
export interface Balanced {
  /** "namespace/name" */
  service: string;
  vip: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  nodePort: number;
  /** Node names, in the order its rules list them. */
  targets: string[];
}

/** A machine in the world: a Kubernetes node, an outside host, or a cloud load balancer. */
export interface Host {
  name: string;
  kind: 'node' | 'outside' | 'loadbalancer';
  /** A load balancer's Service ports and their targets. */
  balances?: Balanced[];
  /** A namespace of a Lab: a plain Linux machine, not a Kubernetes node. */
  lab?: true;
  ip: Ip4;
  podCIDR: Cidr4 | null;
  /** Its root namespace id (the host name). */
  rootNs: string;
}

/** Pod metadata kept beside its namespace, for naming and display. */
export interface PodInfo {
  namespace: string;
  name: string;
  node: string;
  ip: Ip4;
  labels: Record<string, string>;
  hostNetwork: boolean;
}

/** The whole simulated network: every namespace on every host, and the wires between hosts. */
export interface World {
  hosts: Host[];
  namespaces: Map<string, Netns>;
  segments: Map<string, Segment>;
  pods: Map<string, PodInfo>;
  /** Simulated seconds since the world was built; advanced by traces. */
  now: number;
}

export function createWorld(): World {
  return { hosts: [], namespaces: new Map(), segments: new Map(), pods: new Map(), now: 0 };
}

export function nsOf(world: World, id: string): Netns {
  const ns = world.namespaces.get(id);
  if (!ns) throw new Error(`no namespace ${id}`);
  return ns;
}
