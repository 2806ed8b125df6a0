import type { Device } from '../kernel/device';
import type { Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import { formatCidr4, formatIp4 } from '../wire/ip';
import type {
  DeviceView,
  LinkView,
  NamespaceView,
  NodeView,
  SegmentView,
  TopologyView,
} from './topology-types';

function deviceView(ns: Netns, d: Device): DeviceView {
  return {
    id: `${ns.id}:${d.name}`,
    name: d.name,
    kind: d.kind,
    mac: d.mac,
    addrs: d.addrs.map((a) => `${formatIp4(a.ip)}/${a.prefix.len}`),
    mtu: d.mtu,
    up: d.up,
    master: d.master,
    peer: d.peer ? `${d.peer.ns}:${d.peer.dev}` : null,
    ...(d.announce?.length ? { announces: d.announce.map(formatIp4) } : {}),
  };
}

function namespaceView(world: World, ns: Netns): NamespaceView {
  const v: NamespaceView = {
    id: ns.id,
    node: ns.node,
    kind: ns.kind,
    devices: [...ns.devices.values()].map((d) => deviceView(ns, d)),
  };
  const pod = world.pods.get(ns.id);
  if (pod)
    v.pod = {
      namespace: pod.namespace,
      name: pod.name,
      ip: formatIp4(pod.ip),
      labels: { ...pod.labels },
    };
  return v;
}

/** The world as the UI draws it: hosts, their namespaces and devices, and every link. */
export function topologyOf(world: World): TopologyView {
  const nodes: NodeView[] = world.hosts.map((h) => ({
    name: h.name,
    kind: h.kind,
    ip: formatIp4(h.ip),
    podCIDR: h.podCIDR ? formatCidr4(h.podCIDR) : null,
    namespaces: [...world.namespaces.values()]
      .filter((ns) => ns.node === h.name)
      .map((ns) => namespaceView(world, ns)),
    ...(h.lab ? { lab: true as const } : {}),
    ...(h.balances ? { balances: h.balances.map((b) => ({ ...b, targets: [...b.targets] })) } : {}),
  }));
  const links: LinkView[] = [];
  const seen = new Set<string>();
  for (const ns of world.namespaces.values()) {
    for (const d of ns.devices.values()) {
      const id = `${ns.id}:${d.name}`;
      if (d.kind === 'veth' && d.peer) {
        const peer = `${d.peer.ns}:${d.peer.dev}`;
        const key = [id, peer].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          links.push({ id: `veth|${key}`, kind: 'veth', a: id, b: peer });
        }
      }
      if (d.master)
        links.push({ id: `port|${id}`, kind: 'bridge-port', a: id, b: `${ns.id}:${d.master}` });
      if (d.kind === 'phys' && d.segment)
        links.push({ id: `wire|${id}`, kind: 'wire', a: id, b: `segment:${d.segment}` });
    }
  }
  links.push(...vxlanTunnels(world), ...ipipTunnels(world));
  const segments: SegmentView[] = [...world.segments.values()].map((s) => ({
    id: `segment:${s.name}`,
    name: s.name,
    cidr: formatCidr4(s.cidr),
  }));
  return { nodes, links, segments };
}

/**
 * VXLAN tunnels as logical links: a VTEP whose FDB sends frames to a remote VTEP address is
 * joined to the VXLAN device with the same VNI in the namespace that owns that address.
 */
function vxlanTunnels(world: World): LinkView[] {
  const owner = new Map<number, string>();
  for (const ns of world.namespaces.values())
    for (const d of ns.devices.values()) for (const a of d.addrs) owner.set(a.ip, ns.id);
  const out: LinkView[] = [];
  const seen = new Set<string>();
  for (const ns of world.namespaces.values())
    for (const d of ns.devices.values()) {
      if (!d.vxlan) continue;
      for (const e of d.vxlan.fdb) {
        const peerNs = owner.get(e.dst);
        const peer = peerNs ? world.namespaces.get(peerNs) : undefined;
        const remote = peer
          ? [...peer.devices.values()].find((x) => x.vxlan?.vni === d.vxlan!.vni)
          : undefined;
        if (!peer || !remote || peer.id === ns.id) continue;
        const a = `${ns.id}:${d.name}`;
        const b = `${peer.id}:${remote.name}`;
        const key = [a, b].sort().join('|');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ id: `tunnel|${key}`, kind: 'tunnel', a, b });
      }
    }
  return out;
}

/**
 * IPIP tunnels as logical links: a route out of an ipip device (`10.244.1.0/26 via
 * 192.168.56.12 dev tunl0 onlink`) sends packets to the namespace owning that gateway, and
 * they come out of its ipip device.
 */
function ipipTunnels(world: World): LinkView[] {
  const owner = new Map<number, string>();
  for (const ns of world.namespaces.values())
    for (const d of ns.devices.values()) for (const a of d.addrs) owner.set(a.ip, ns.id);
  const out: LinkView[] = [];
  const seen = new Set<string>();
  for (const ns of world.namespaces.values())
    for (const r of ns.tables.main.routes) {
      const d = r.dev ? ns.devices.get(r.dev) : undefined;
      if (d?.kind !== 'ipip' || r.via === null) continue;
      const peer = world.namespaces.get(owner.get(r.via) ?? '');
      const remote = peer ? [...peer.devices.values()].find((x) => x.kind === 'ipip') : undefined;
      if (!peer || !remote || peer.id === ns.id) continue;
      const a = `${ns.id}:${d.name}`;
      const b = `${peer.id}:${remote.name}`;
      const key = [a, b].sort().join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ id: `tunnel|${key}`, kind: 'tunnel', a, b });
    }
  return out;
}
