import type { Netns } from '../../kernel/netns';
import type { CalicoModel, NetworkModel, NodeModel } from '../model';
import { selects } from './calico-selector';

/** One BGP session BIRD on a node keeps. */
export interface BgpSession {
  /** BIRD's protocol name: Mesh_192_168_56_12 or Node_192_168_56_13 (a BGPPeer). */
  protocol: string;
  peer: string;
  peerIP: string;
  /** "mesh", or the BGPPeer that made it; "rr-client" when the peer is this reflector's client. */
  via: string;
}

/** A route BIRD learned: which block, the next hop, from which session, who originated it. */
export interface BgpRoute {
  prefix: string;
  nextHop: string;
  from: string;
  origin: string;
}

export interface BgpState {
  asNumber: number;
  routeReflector: boolean;
  sessions: BgpSession[];
  learned: BgpRoute[];
}

const protoName = (prefix: string, ip: string) => `${prefix}_${ip.replace(/\./g, '_')}`;

/** A node with a RouteReflectorClusterID is a reflector: clients' routes go to everyone. */
export function isReflector(node: NodeModel): boolean {
  return node.routeReflectorClusterID !== undefined;
}

function sessionsOf(c: CalicoModel, nodes: readonly NodeModel[]): Map<string, Map<string, string>> {
  const peers = new Map(nodes.map((n) => [n.name, new Map<string, string>()]));
  const link = (a: NodeModel, b: NodeModel, via: string) => {
    if (a.name === b.name) return;
    if (!peers.get(a.name)!.has(b.name)) peers.get(a.name)!.set(b.name, via);
    if (!peers.get(b.name)!.has(a.name)) peers.get(b.name)!.set(a.name, via);
  };
  if (c.mesh) for (const a of nodes) for (const b of nodes) link(a, b, 'mesh');
  for (const p of c.peers) {
    if (p.peerSelector === undefined) continue;
    for (const a of nodes)
      if (selects(p.nodeSelector, a.labels))
        for (const b of nodes) if (selects(p.peerSelector, b.labels)) link(a, b, p.name);
  }
  return peers;
}

/**
 * What BIRD ends up with on every node: its sessions (the full mesh, BGPPeers), and the
 * blocks learned over them by iBGP's rules — a route learned from an iBGP peer is passed on
 * only by a route reflector (from a client to everyone, from a non-client to its clients),
 * and keeps its originator's next hop.
 */
export function bgpExchange(net: NetworkModel, nodes: readonly NodeModel[]): Map<string, BgpState> {
  return bgpRun(net, nodes).states;
}

/**
 * One step of the exchange, in the order BIRD's updates spread (breadth first): a node
 * announces its block, or a node installs a route it learned from a peer (a route reflector
 * passing on what a client announced shows as the reflector's peers learning it from it).
 */
export type BgpEvent =
  | { kind: 'announce'; node: string; prefix: string; nextHop: string }
  | { kind: 'learn'; node: string; prefix: string; nextHop: string; from: string; origin: string };

/** The whole exchange as events (the route table each node ends with is `bgpExchange`). */
export function bgpEvents(net: NetworkModel, nodes: readonly NodeModel[]): BgpEvent[] {
  return bgpRun(net, nodes).events;
}

function bgpRun(
  net: NetworkModel,
  nodes: readonly NodeModel[],
): { states: Map<string, BgpState>; events: BgpEvent[] } {
  const c = net.calico;
  const out = new Map<string, BgpState>();
  const events: BgpEvent[] = [];
  if (!c) return { states: out, events };
  const sessions = sessionsOf(c, nodes);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const client = (rr: NodeModel, other: NodeModel) => isReflector(rr) && !isReflector(other);
  for (const n of nodes)
    out.set(n.name, {
      asNumber: c.asNumber,
      routeReflector: isReflector(n),
      sessions: [...sessions.get(n.name)!].map(([peer, via]) => {
        const p = byName.get(peer)!;
        return {
          protocol: protoName(via === 'mesh' ? 'Mesh' : 'Node', p.internalIP),
          peer,
          peerIP: p.internalIP,
          via: via !== 'mesh' && client(n, p) ? 'rr-client' : via,
        };
      }),
      learned: [],
    });
  // Breadth-first flooding in node order: deterministic, and the first path learned wins.
  const queue: { at: string; route: BgpRoute }[] = [];
  const advertise = (from: NodeModel, route: BgpRoute, learnedFrom: NodeModel | null) => {
    for (const peer of sessions.get(from.name)!.keys()) {
      const p = byName.get(peer)!;
      if (peer === route.origin || (learnedFrom && peer === learnedFrom.name)) continue;
      if (learnedFrom && !(client(from, learnedFrom) || client(from, p))) continue;
      queue.push({ at: peer, route: { ...route, from: from.name } });
    }
  };
  for (const n of nodes) {
    events.push({ kind: 'announce', node: n.name, prefix: n.podCIDR, nextHop: n.internalIP });
    advertise(n, { prefix: n.podCIDR, nextHop: n.internalIP, from: n.name, origin: n.name }, null);
  }
  while (queue.length > 0) {
    const { at, route } = queue.shift()!;
    const state = out.get(at)!;
    if (state.learned.some((r) => r.prefix === route.prefix)) continue;
    state.learned.push(route);
    events.push({ kind: 'learn', node: at, ...route });
    advertise(byName.get(at)!, route, byName.get(route.from)!);
  }
  for (const s of out.values()) s.learned.sort((a, b) => a.prefix.localeCompare(b.prefix));
  return { states: out, events };
}

/** `birdcl show protocols` and `show route`, reduced to who peers with whom and who learned what. */
export function bgpText(node: string, s: BgpState | undefined): string {
  if (!s) return `# no BIRD on ${node}: Calico's BGP is not running here`;
  const lines = [
    `# BIRD on ${node}, AS ${s.asNumber}${s.routeReflector ? ', route reflector' : ''}`,
    '# protocol            peer             state        via',
    ...s.sessions.map(
      (x) =>
        `${x.protocol.padEnd(21)} ${`${x.peerIP} (${x.peer})`.padEnd(16)} Established  ${x.via}`,
    ),
    '# route               next hop         learned from (originated by)',
    ...s.learned.map(
      (r) =>
        `${r.prefix.padEnd(21)} ${r.nextHop.padEnd(16)} ${r.from}${r.from === r.origin ? '' : ` (${r.origin})`}`,
    ),
  ];
  return lines.join('\n');
}

// Beside the node's namespace, as kube-proxy's installed rules are: BIRD's state is not kernel state.
const birds = new WeakMap<Netns, BgpState>();

export function setBgpState(ns: Netns, state: BgpState): void {
  birds.set(ns, state);
}

export function bgpStateOf(ns: Netns): BgpState | undefined {
  return birds.get(ns);
}
