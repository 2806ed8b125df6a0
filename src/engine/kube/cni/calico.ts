import { TUNNEL_OVERHEAD } from '../../kernel/device';
import {
  addAddress,
  addDevice,
  addRoute,
  createNetns,
  setNeigh,
  type Netns,
} from '../../kernel/netns';
import { route } from '../../kernel/routing';
import type { World } from '../../kernel/world';
import { cidr4, ip4, nthAddress } from '../../wire/ip';
import type { Mac } from '../../wire/mac';
import type { ClusterModel, NetworkModel, NodeModel, PodModel } from '../model';
import { fnv1a, stableMac } from '../names';
import { listenOnPorts } from './bridge-cni';
import { onLink } from './plan';
import type { BgpState } from './calico-bgp';

/** Every host-side cali veth has this MAC: the pod only ever talks to its proxy-ARP gateway. */
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee' as Mac;
/** The pods' gateway: a link-local address nobody holds, answered by proxy ARP. */
export const CALICO_GATEWAY = '169.254.1.1';
export const CALICO_VXLAN = { dev: 'vxlan.calico', vni: 4096, port: 4789 } as const;

/** "cali" + 11 hex digits, derived from the pod's namespace and name as Calico does it. */
export function caliName(pod: { namespace: string; name: string }): string {
  const key = `${pod.namespace}.${pod.name}`;
  const hex = (fnv1a(key).toString(16) + fnv1a(`${key}#`).toString(16)).padStart(16, '0');
  return `cali${hex.slice(0, 11)}`;
}

type Way = 'direct' | 'ipip' | 'vxlan';

/** How traffic to `peer`'s block leaves `node`: encapsulated always, never, or across subnets only. */
export function calicoWay(net: NetworkModel, node: NodeModel, peer: NodeModel): Way {
  const pool = net.calico!.pool;
  const near = onLink(net, node, peer);
  if (pool.vxlanMode === 'Always' || (pool.vxlanMode === 'CrossSubnet' && !near)) return 'vxlan';
  if (pool.ipipMode === 'Always' || (pool.ipipMode === 'CrossSubnet' && !near)) return 'ipip';
  return 'direct';
}

/** The MTU Felix detects: the underlay's minus the encapsulation in use. */
export function calicoMtu(net: NetworkModel): number {
  const pool = net.calico?.pool;
  if (pool?.vxlanMode && pool.vxlanMode !== 'Never') return 1500 - TUNNEL_OVERHEAD.vxlan;
  if (pool?.ipipMode && pool.ipipMode !== 'Never') return 1500 - TUNNEL_OVERHEAD.ipip;
  return 1500;
}

/** The tunnel address: the first ordinal of the node's block, as Calico's IPAM assigns it. */
function tunnelIP(node: NodeModel) {
  return nthAddress(cidr4(node.podCIDR), 0);
}

const vtepMac = (node: string) => stableMac(`${node}/${CALICO_VXLAN.dev}`);

/**
 * A node's Calico data plane: the tunnel device the pool needs (tunl0 or vxlan.calico), the
 * blackhole route for its own block, and a route per other node's block — from BIRD
 * (`proto bird`: direct, or via tunl0 onlink) for what BGP learned, or from Felix (`proto 80`,
 * via the peer's VTEP, with neighbour and FDB entries) in VXLAN mode.
 */
export function setUpCalico(
  model: ClusterModel,
  node: NodeModel,
  ns: Netns,
  bgp: BgpState | undefined,
): void {
  const net = model.network;
  const c = net.calico;
  if (net.cni !== 'calico' || !c) return;
  const block = cidr4(node.podCIDR);
  if (c.pool.ipipMode !== 'Never') {
    addDevice(ns, 'tunl0', 'ipip', null, { mtu: 1500 - TUNNEL_OVERHEAD.ipip });
    addAddress(ns, 'tunl0', tunnelIP(node), { addr: tunnelIP(node), len: 32 });
  }
  const vxlanPeers = model.nodes.filter(
    (p) => p.name !== node.name && calicoWay(net, node, p) === 'vxlan',
  );
  if (c.pool.vxlanMode !== 'Never') {
    addDevice(ns, CALICO_VXLAN.dev, 'vxlan', vtepMac(node.name), {
      mtu: 1500 - TUNNEL_OVERHEAD.vxlan,
      vxlan: {
        vni: CALICO_VXLAN.vni,
        dstport: CALICO_VXLAN.port,
        local: ip4(node.internalIP),
        dev: 'eth0',
        learning: false,
        fdb: vxlanPeers.map((p) => ({ mac: vtepMac(p.name), dst: ip4(p.internalIP) })),
      },
    });
    addAddress(ns, CALICO_VXLAN.dev, tunnelIP(node), { addr: tunnelIP(node), len: 32 });
    for (const p of vxlanPeers) {
      const dst = cidr4(p.podCIDR);
      addRoute(
        ns,
        route({ dst, via: tunnelIP(p), dev: CALICO_VXLAN.dev, onlink: true, proto: 80 }),
      );
      setNeigh(ns, CALICO_VXLAN.dev, tunnelIP(p), vtepMac(p.name), 'PERMANENT');
    }
    // Without BGP (VXLAN mode), Felix also programs the unencapsulated routes CrossSubnet uses.
    for (const p of model.nodes)
      if (p.name !== node.name && calicoWay(net, node, p) === 'direct')
        addRoute(
          ns,
          route({ dst: cidr4(p.podCIDR), via: ip4(p.internalIP), dev: 'eth0', proto: 80 }),
        );
  }
  // BIRD installs the blackhole for the node's own block; without BGP (VXLAN) Felix does.
  const owner = c.pool.vxlanMode === 'Never' ? 'bird' : 80;
  addRoute(ns, route({ type: 'blackhole', dst: block, proto: owner }));
  for (const r of bgp?.learned ?? []) {
    const peer = model.nodes.find((n) => n.name === r.origin);
    if (!peer) continue;
    const way = calicoWay(net, node, peer);
    if (way === 'vxlan') continue;
    // BIRD cannot install a direct route whose next hop is off-link (the kernel refuses it).
    if (way === 'direct' && !onLink(net, node, peer)) continue;
    addRoute(
      ns,
      route({
        dst: cidr4(r.prefix),
        via: ip4(r.nextHop),
        dev: way === 'ipip' ? 'tunl0' : 'eth0',
        onlink: way === 'ipip',
        proto: 'bird',
      }),
    );
  }
}

/**
 * The Calico CNI plugin for one pod: a veth pair, eth0 in the pod with the pod's /32 and a
 * default route via 169.254.1.1, the host end `caliXXXXXXXXXXX` (MAC ee:ee:ee:ee:ee:ee, proxy
 * ARP on, no address) with a /32 route to the pod.
 */
export function attachCalicoPod(
  world: World,
  node: Netns,
  pod: PodModel,
  net: NetworkModel,
): Netns {
  const key = `${pod.namespace}/${pod.name}`;
  const ns = createNetns(key, node.id, 'pod');
  world.namespaces.set(key, ns);
  const host = caliName(pod);
  const mtu = calicoMtu(net);
  addDevice(ns, 'eth0', 'veth', stableMac(`${key}/eth0`), {
    peer: { ns: node.id, dev: host },
    mtu,
  });
  addDevice(node, host, 'veth', CALICO_HOST_MAC, {
    peer: { ns: key, dev: 'eth0' },
    mtu,
    proxyArp: true,
  });
  const ip = ip4(pod.ip);
  addAddress(ns, 'eth0', ip, { addr: ip, len: 32 });
  const gw = ip4(CALICO_GATEWAY);
  addRoute(ns, route({ dst: { addr: gw, len: 32 }, dev: 'eth0', scope: 'link' }));
  addRoute(ns, route({ dst: { addr: 0 as never, len: 0 }, via: gw, dev: 'eth0' }));
  addRoute(node, route({ dst: { addr: ip, len: 32 }, dev: host, scope: 'link' }));
  listenOnPorts(ns, pod);
  return ns;
}
