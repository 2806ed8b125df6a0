import type { DevRef, Device } from '../../kernel/device';
import type { Netns } from '../../kernel/netns';
import type { World } from '../../kernel/world';
import type { LabInterface, LabModel, LabNamespace, LabRoute } from '../../kube/lab-model';
import { save } from '../../netfilter/index';
import { formatCidr4, formatIp4 } from '../../wire/ip';
import type { FlowSpec } from '../trace-types';
import { endpointLabel } from '../format-text';

/** A segment with exactly two NICs is a cable: the lab joins them with a veth pair. */
function cablePeer(world: World, ns: Netns, dev: Device): DevRef | null {
  const members = dev.segment ? (world.segments.get(dev.segment)?.members ?? []) : [];
  if (members.length !== 2) return null;
  return members.find((m) => m.ns !== ns.id || m.dev !== dev.name) ?? null;
}

function interfaces(world: World, ns: Netns): LabInterface[] {
  const out: LabInterface[] = [];
  for (const d of ns.devices.values()) {
    if (d.kind === 'loopback') continue;
    const peer = d.kind === 'phys' ? cablePeer(world, ns, d) : d.peer;
    // Three or more NICs on a segment: a switch (the harness builds a bridge for it).
    const seg = d.kind === 'phys' && d.segment ? world.segments.get(d.segment) : undefined;
    const switched = seg !== undefined && seg.members.length > 2;
    // A NIC alone on its segment cannot reach anyone: a dummy device stands in for it.
    const type = switched
      ? 'phys'
      : d.kind === 'bridge' || d.kind === 'vxlan'
        ? d.kind
        : d.kind === 'veth' || peer
          ? 'veth'
          : 'dummy';
    const i: LabInterface = {
      name: d.name,
      type,
      addresses: d.addrs.map((a) => `${formatIp4(a.ip)}/${a.prefix.len}`),
      ...(d.mac ? { mac: d.mac } : {}),
      ...(d.master ? { master: d.master } : {}),
      ...(switched ? { segment: seg.name } : {}),
      ...(d.hairpin ? { hairpin: true } : {}),
      ...(d.mtu !== 1500 && d.kind !== 'vxlan' ? { mtu: d.mtu } : {}),
    };
    if (d.vxlan) {
      const v = d.vxlan;
      i.vxlan = {
        vni: v.vni,
        dstport: v.dstport,
        learning: v.learning,
        ...(v.local !== null ? { local: formatIp4(v.local) } : {}),
        ...(v.dev !== null ? { dev: v.dev } : {}),
      };
      i.fdb = v.fdb.map((f) => ({ mac: f.mac, dst: formatIp4(f.dst) }));
    }
    // Each pair is created once, from the end whose namespace comes first.
    const ids = [...world.namespaces.keys()];
    if (peer && ids.indexOf(ns.id) < ids.indexOf(peer.ns)) i.peer = `${peer.ns}/${peer.dev}`;
    out.push(i);
  }
  return out;
}

function namespace(world: World, ns: Netns): LabNamespace {
  const text = save(ns.netfilter);
  return {
    name: ns.id,
    sysctls: {
      'net.ipv4.ip_forward': ns.sysctl.ipForward ? '1' : '0',
      'net.ipv4.conf.all.rp_filter': String(ns.sysctl.rpFilter),
      'net.bridge.bridge-nf-call-iptables': ns.sysctl.bridgeNfCallIptables ? '1' : '0',
      ...Object.fromEntries(
        [...ns.devices.values()]
          .filter((d) => d.proxyArp)
          .map((d) => [`net.ipv4.conf.${d.name}.proxy_arp`, '1']),
      ),
    },
    interfaces: interfaces(world, ns),
    routes: ns.tables.main.routes
      .filter((r) => r.proto !== 'kernel')
      .map((r) => ({
        to: r.dst.len === 0 ? 'default' : formatCidr4(r.dst),
        ...(r.type !== 'unicast' ? { type: r.type as 'blackhole' } : {}),
        ...(r.via !== null ? { via: formatIp4(r.via) } : {}),
        ...(r.dev !== null ? { dev: r.dev } : {}),
        ...(r.metric ? { metric: r.metric } : {}),
        ...(r.onlink ? { onlink: true } : {}),
        ...(r.proto && r.proto !== 'kernel' ? { proto: r.proto as LabRoute['proto'] } : {}),
      })),
    // What an agent installed (flanneld's VTEP neighbours); learned entries are the flow's.
    neighbours: [...ns.neigh].flatMap(([dev, t]) =>
      [...t].flatMap(([ip, n]) =>
        n.state === 'PERMANENT' ? [{ ip: formatIp4(ip), mac: n.mac, dev }] : [],
      ),
    ),
    listeners: ns.sockets.map((s) => ({ proto: s.proto, port: s.port })),
    ...(text.trim() ? { iptables: text } : {}),
  };
}

/**
 * Any engine world (a cluster's, say) as a LabModel, so the kernel harness can build it for
 * real: the same namespaces, devices, MACs, addresses, routes, sysctls and rulesets.
 */
export function labFromWorld(world: World, flows: FlowSpec[]): LabModel {
  return {
    name: 'from-world',
    namespaces: [...world.namespaces.values()].map((ns) => namespace(world, ns)),
    flows: flows.map((f) => ({
      from: endpointLabel(f.from),
      to: endpointLabel(f.to),
      proto: f.proto,
      ...(f.port ? { port: f.port } : {}),
    })),
  };
}
