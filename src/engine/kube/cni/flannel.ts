import { addAddress, addDevice, addRoute, setNeigh, type Netns } from '../../kernel/netns';
import { TUNNEL_OVERHEAD } from '../../kernel/device';
import { route } from '../../kernel/routing';
import { restore } from '../../netfilter/index';
import { cidr4, ip4 } from '../../wire/ip';
import type { Diagnostic } from '../../diagnostics';
import type { ClusterModel, FlannelModel, NetworkModel, NodeModel } from '../model';
import { stableMac } from '../names';
import { flannelPeers } from './plan';

const UNDERLAY_MTU = 1500;

/** The MTU flanneld writes to subnet.env and the CNI plugin gives cni0 and every pod veth. */
export function flannelMtu(net: NetworkModel): number {
  const backend = net.flannel?.backend;
  if (net.cni !== 'flannel' || backend === 'host-gw') return UNDERLAY_MTU;
  return UNDERLAY_MTU - (backend === 'udp' ? TUNNEL_OVERHEAD.udp : TUNNEL_OVERHEAD.vxlan);
}

/** flannel.<VNI>: the name flanneld gives its VTEP. */
export function vtepName(f: FlannelModel): string {
  return `flannel.${f.vni}`;
}

/** The VTEP's MAC: random on a real node (published in the node's backend-data annotation), stable here. */
export function vtepMac(node: string, f: FlannelModel) {
  return stableMac(`${node}/${vtepName(f)}`);
}

/**
 * What flanneld sets up on `node` for its backend once it has every node's lease: the VTEP
 * (or TUN device) with the node's subnet address, and per peer the routes, neighbour and FDB
 * entries (VXLAN), the routes via the peer (host-gw), or its own subnet table (UDP).
 */
export function setUpFlannel(model: ClusterModel, node: NodeModel, ns: Netns): void {
  const net = model.network;
  const f = net.flannel;
  if (net.cni !== 'flannel' || !f) return;
  const podCIDR = cidr4(node.podCIDR);
  const peers = flannelPeers(net, model.nodes, node);
  if (f.backend === 'udp') {
    const tun = addDevice(ns, 'flannel0', 'tun', null, {
      mtu: flannelMtu(net),
      tun: {
        process: 'flanneld',
        port: f.port,
        peers: peers.map(({ peer }) => ({ cidr: cidr4(peer.podCIDR), ip: ip4(peer.internalIP) })),
      },
    });
    // The node's subnet address with the whole network's prefix: one connected route sends
    // every other node's pods into flannel0, while the longer cni0 route keeps local ones.
    addAddress(ns, tun.name, podCIDR.addr, cidr4(f.network));
    ns.sockets.push({ proto: 'udp', ip: 0 as never, port: f.port, process: 'flanneld' });
    return;
  }
  const vxlanPeers = peers.filter((p) => p.way === 'vxlan');
  if (f.backend === 'vxlan') {
    const name = vtepName(f);
    addDevice(ns, name, 'vxlan', vtepMac(node.name, f), {
      mtu: UNDERLAY_MTU - TUNNEL_OVERHEAD.vxlan,
      vxlan: {
        vni: f.vni,
        dstport: f.port,
        local: ip4(node.internalIP),
        dev: 'eth0',
        learning: false,
        fdb: vxlanPeers.map(({ peer }) => ({
          mac: vtepMac(peer.name, f),
          dst: ip4(peer.internalIP),
        })),
      },
    });
    addAddress(ns, name, podCIDR.addr, { addr: podCIDR.addr, len: 32 });
  }
  for (const { peer, way } of peers) {
    const dst = cidr4(peer.podCIDR);
    if (way === 'host-gw') addRoute(ns, route({ dst, via: ip4(peer.internalIP), dev: 'eth0' }));
    if (way !== 'vxlan') continue;
    const name = vtepName(f);
    addRoute(ns, route({ dst, via: dst.addr, dev: name, onlink: true }));
    setNeigh(ns, name, dst.addr, vtepMac(peer.name, f), 'PERMANENT');
  }
}

const MASQ = '-m comment --comment "flanneld masq"';
const FWD = '-m comment --comment "flanneld forward"';

/**
 * flanneld's iptables rules (v0.2x): FLANNEL-POSTRTG keeps pod-to-pod traffic un-NATed and
 * masquerades pods leaving the network; FLANNEL-FWD accepts forwarding to and from it.
 * flanneld appends its jumps, so they come after the ones kube-proxy inserts at the top.
 */
export function flannelRulesText(net: NetworkModel, node: NodeModel): string {
  const n = net.flannel?.network ?? net.clusterCIDR;
  const sn = node.podCIDR;
  return [
    '*nat',
    ':FLANNEL-POSTRTG - [0:0]',
    `-A POSTROUTING ${MASQ} -j FLANNEL-POSTRTG`,
    `-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 ${MASQ} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${sn} -d ${n} ${MASQ} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${n} -d ${sn} ${MASQ} -j RETURN`,
    `-A FLANNEL-POSTRTG ! -s ${n} -d ${sn} ${MASQ} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${n} ! -d 224.0.0.0/4 ${MASQ} -j MASQUERADE --random-fully`,
    `-A FLANNEL-POSTRTG ! -s ${n} -d ${n} ${MASQ} -j MASQUERADE --random-fully`,
    'COMMIT',
    '*filter',
    ':FLANNEL-FWD - [0:0]',
    `-A FORWARD ${FWD} -j FLANNEL-FWD`,
    `-A FLANNEL-FWD -s ${n} ${FWD} -j ACCEPT`,
    `-A FLANNEL-FWD -d ${n} ${FWD} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

/** Loads flanneld's rules next to whatever the node has (kube-proxy's), as `iptables-restore --noflush`. */
export function installFlannelRules(net: NetworkModel, node: NodeModel, ns: Netns): Diagnostic[] {
  if (net.cni !== 'flannel') return [];
  return restore(ns.netfilter, flannelRulesText(net, node), `flanneld@${node.name}`, {
    noflush: true,
  });
}
