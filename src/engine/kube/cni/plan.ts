import type { Diagnostic } from '../../diagnostics';
import { cidr4, cidrContains, ip4 } from '../../wire/ip';
import { segmentOf } from '../cluster-network';
import type { NetworkModel, NodeModel } from '../model';

/** How flanneld on one node reaches one peer node's podCIDR. */
export type FlannelPeerWay =
  /** `PEER_CIDR via PEER.0 dev flannel.1 onlink`, neighbour and FDB entries. */
  | 'vxlan'
  /** `PEER_CIDR via PEER_IP dev eth0`. */
  | 'host-gw'
  /** Nothing per peer in the kernel: flanneld's own table, behind `NETWORK dev flannel0`. */
  | 'udp'
  /** host-gw to a peer that is not on this node's segment: the kernel refuses the route. */
  | 'not-on-link';

export interface FlannelPeer {
  peer: NodeModel;
  way: FlannelPeerWay;
}

/** The kernel's on-link test for a gateway: inside the prefix of the node's own eth0. */
export function onLink(net: NetworkModel, node: NodeModel, peer: NodeModel): boolean {
  return cidrContains(cidr4(segmentOf(net, node.name).cidr), ip4(peer.internalIP));
}

/** What flanneld on `node` installs for every other node, by backend. */
export function flannelPeers(
  net: NetworkModel,
  nodes: readonly NodeModel[],
  node: NodeModel,
): FlannelPeer[] {
  const backend = net.flannel?.backend ?? 'vxlan';
  return nodes
    .filter((p) => p.name !== node.name)
    .map((peer) => {
      const near = onLink(net, node, peer);
      if (backend === 'udp') return { peer, way: 'udp' };
      if (backend === 'host-gw') return { peer, way: near ? 'host-gw' : 'not-on-link' };
      return { peer, way: net.flannel?.directRouting && near ? 'host-gw' : 'vxlan' };
    });
}

/** What the CNI would complain about once running: routes flanneld cannot add. */
/** Calico's guidance (and the seed's): the full mesh up to about 100 nodes, route reflectors beyond. */
export const MESH_NODE_LIMIT = 100;

export function cniDiagnostics(net: NetworkModel, nodes: readonly NodeModel[]): Diagnostic[] {
  if (net.cni === 'calico') {
    const c = net.calico;
    const at = c?.source ?? nodes[0]?.source;
    if (!c?.mesh || nodes.length < MESH_NODE_LIMIT || !at) return [];
    const n = nodes.length;
    return [
      {
        ...at,
        severity: 'info',
        code: 'PW2033',
        message: `the BGP full mesh of ${n} nodes keeps ${(n * (n - 1)) / 2} sessions (${n - 1} on every node); beyond about ${MESH_NODE_LIMIT} nodes use route reflectors: nodeToNodeMeshEnabled: false and a BGPPeer to nodes with a RouteReflectorClusterID`,
      },
    ];
  }
  if (net.cni !== 'flannel') return [];
  const out: Diagnostic[] = [];
  for (const node of nodes) {
    for (const { peer, way } of flannelPeers(net, nodes, node)) {
      if (way !== 'not-on-link') continue;
      const at = net.flannel?.source ?? node.source ?? peer.source;
      if (!at) continue;
      const seg = segmentOf(net, node.name);
      out.push({
        ...at,
        severity: 'warning',
        code: 'PW2030',
        message: `flannel host-gw on ${node.name}: "ip route add ${peer.podCIDR} via ${peer.internalIP} dev eth0" fails (Nexthop has invalid gateway): ${peer.name} is not on ${node.name}'s segment ${seg.name} (${seg.cidr}). host-gw needs every node on one L2 segment; traffic to ${peer.podCIDR} follows the default route instead`,
      });
    }
  }
  return out;
}
