import { addAddress, addDevice, addRoute, createNetns, type Netns } from '../kernel/netns';
import { route } from '../kernel/routing';
import type { World } from '../kernel/world';
import { cidr4, cidrContains, formatIp4, ip4, nthAddress, type Ip4 } from '../wire/ip';
import { segmentOf } from './cluster-network';
import type { ClusterModel, PodModel, ServiceModel } from './model';
import { stableMac } from './names';

/**
 * Outside clients: machines on the underlay that are not nodes (a laptop on the lab LAN, a
 * load-balancer health checker). Each is a namespace with one NIC on its Underlay segment, a
 * default route to the segment's gateway, and — since Kubernetes leaves it to the network to
 * bring service addresses to a node — the routes and ARP answers that do it:
 *
 * - LoadBalancer IPs MetalLB assigned are announced as its speakers decide (metallb.ts); with a
 *   cloud load balancer (cloud-lb.ts) the balancer itself holds them. Without either, ingress
 *   IPs from the status are announced MetalLB-L2-style: one node answers ARP for the address
 *   from its eth0, so the frame reaches that node with the LB IP still as
 *   destination and kube-proxy's rules for the LB IP (KUBE-FW, source ranges) apply. An
 *   ingress IP outside the segment is routed to the same node instead (as MetalLB's BGP mode
 *   or a router's static route would).
 * - externalIPs are routed to the first node by clients on its segment: the cluster admin's
 *   job, which Kubernetes does not do.
 */

export interface OutsideClientSpec {
  name: string;
  ip: string;
  /** The Underlay segment; default: the one whose CIDR holds the address, else the first. */
  segment?: string;
}

/** The node that announces a service's ingress IPs: MetalLB elects among nodes with a ready endpoint when the policy is Local. */
export function announcingNode(model: ClusterModel, svc: ServiceModel): string | undefined {
  const nodes = model.nodes.map((n) => n.name);
  if (svc.externalTrafficPolicy !== 'Local') return nodes[0];
  const withEndpoint = new Set(
    (model.endpointSlices ?? [])
      .filter((s) => s.namespace === svc.namespace && s.service === svc.name)
      .flatMap((s) => s.endpoints.filter((e) => e.ready && e.nodeName).map((e) => e.nodeName!)),
  );
  return nodes.find((n) => withEndpoint.has(n)) ?? nodes[0];
}

function nodeIp(model: ClusterModel, name: string | undefined): Ip4 | undefined {
  const n = model.nodes.find((x) => x.name === name);
  return n ? ip4(n.internalIP) : undefined;
}

/**
 * Where outside traffic for each service address goes: the ARP announcements each node makes
 * (LB IPs inside its own segment) and, per segment, the routes a client there needs (LB IPs
 * outside the announcing node's segment, externalIPs to the first node). With MetalLB its
 * speakers decide (metallb.ts); with a cloud load balancer the balancer holds the LB IPs
 * itself, and clients on its segment route the ones outside the segment to it.
 */
function serviceReach(model: ClusterModel) {
  const announce = new Map<string, Set<Ip4>>();
  const routes = new Map<string, Map<Ip4, Ip4>>();
  const addRouteVia = (seg: string, dst: Ip4, via: Ip4) => {
    if (!routes.has(seg)) routes.set(seg, new Map());
    routes.get(seg)!.set(dst, via);
  };
  const route = (node: string, dst: Ip4) => {
    const via = nodeIp(model, node);
    if (via !== undefined) addRouteVia(segmentOf(model.network, node).name, dst, via);
  };
  const l2 = (node: string, ip: Ip4) => {
    if (!cidrContains(cidr4(segmentOf(model.network, node).cidr), ip)) return route(node, ip);
    if (!announce.has(node)) announce.set(node, new Set());
    announce.get(node)!.add(ip);
  };
  const lb = model.loadBalancing;
  if (lb?.provider === 'metallb')
    for (const a of lb.announcements) {
      if (a.node === undefined) continue;
      if (a.mode === 'l2') l2(a.node, ip4(a.ip));
      else if (a.mode === 'bgp') route(a.node, ip4(a.ip));
    }
  if (lb?.provider === 'cloud')
    for (const b of lb.balancers) {
      const seg = model.network.underlay?.segments.find((s) => s.name === b.segment);
      for (const vip of new Set(b.listeners.map((l) => l.vip)))
        if (seg && !cidrContains(cidr4(seg.cidr), ip4(vip)))
          addRouteVia(b.segment, ip4(vip), ip4(b.ip));
    }
  const managed = new Set(
    lb?.provider === 'metallb' ? lb.announcements.map((a) => `${a.service}|${a.ip}`) : [],
  );
  for (const svc of model.services ?? []) {
    const node = announcingNode(model, svc);
    if (!node) continue;
    if (lb?.provider !== 'cloud')
      for (const text of svc.loadBalancerIPs)
        if (!managed.has(`${svc.namespace}/${svc.name}|${text}`)) l2(node, ip4(text));
    const first = model.nodes[0]?.name;
    if (first) for (const text of svc.externalIPs) route(first, ip4(text));
  }
  return { announce, routes };
}

/**
 * The nodes' eth0 answer ARP for the LoadBalancer IPs they announce. Call once the nodes'
 * namespaces exist.
 */
export function announceLoadBalancerIPs(world: World, model: ClusterModel): void {
  for (const [node, ips] of serviceReach(model).announce) {
    const eth0 = world.namespaces.get(node)?.devices.get('eth0');
    if (eth0) eth0.announce = [...(eth0.announce ?? []), ...ips];
  }
}

/** Adds one outside client to the world (idempotent by name); undefined when it has no segment. */
export function addOutsideClient(
  world: World,
  model: ClusterModel,
  spec: OutsideClientSpec,
): Netns | undefined {
  const existing = world.namespaces.get(spec.name);
  if (existing) return existing;
  const ip = ip4(spec.ip);
  const segments = model.network.underlay?.segments ?? [
    { name: segmentOf(model.network, '').name, cidr: model.network.underlayCIDR, gateway: '' },
  ];
  const info =
    segments.find((x) => x.name === spec.segment) ??
    segments.find((x) => cidrContains(cidr4(x.cidr), ip)) ??
    segments[0];
  const seg = info && world.segments.get(info.name);
  if (!info || !seg) return undefined;
  const ns = createNetns(spec.name, spec.name, 'root');
  world.namespaces.set(ns.id, ns);
  const eth0 = addDevice(ns, 'eth0', 'phys', stableMac(`${spec.name}/eth0`), { segment: seg.name });
  const inside = cidrContains(seg.cidr, ip);
  addAddress(ns, eth0.name, ip, inside ? seg.cidr : { addr: ip, len: 32 });
  seg.members.push({ ns: ns.id, dev: eth0.name });
  const gateway = info.gateway ? ip4(info.gateway) : nthAddress(seg.cidr, 1);
  addRoute(
    ns,
    route({ dst: { addr: 0 as Ip4, len: 0 }, via: gateway, dev: 'eth0', onlink: !inside }),
  );
  for (const [dst, via] of serviceReach(model).routes.get(seg.name) ?? [])
    addRoute(
      ns,
      route({ dst: { addr: dst, len: 32 }, via, dev: 'eth0', proto: 'static', onlink: !inside }),
    );
  world.hosts.push({ name: spec.name, kind: 'outside', ip, podCIDR: null, rootNs: ns.id });
  return ns;
}

/** The name an `ip:` source that belongs to nobody gets as an outside client. */
export function adHocClientName(ip: Ip4): string {
  return `client-${formatIp4(ip)}`;
}

// A flow from an `ip:` address nobody has adds a client to the world at trace time, which
// needs the model the world was built from (gateway, service addresses).
const models = new WeakMap<World, ClusterModel>();

/** Every client the Underlay declares (on the first segment, where the nodes are). */
export function addOutsideClients(world: World, model: ClusterModel): void {
  models.set(world, model);
  for (const c of model.network.clients ?? []) addOutsideClient(world, model, c);
}

/** The outside client `name` (declared in the Underlay), or undefined. */
export function outsideClient(world: World, name: string): Netns | undefined {
  const host = world.hosts.find((h) => h.kind === 'outside' && h.name === name);
  return host ? world.namespaces.get(host.rootNs) : undefined;
}

/** An outside client with address `ip`, made on the spot for a flow; undefined for a lab world. */
export function adHocClient(world: World, ip: Ip4): Netns | undefined {
  const model = models.get(world);
  if (!model) return undefined;
  return addOutsideClient(world, model, { name: adHocClientName(ip), ip: formatIp4(ip) });
}

/** A host-network pod (the apiserver's static pod) listens in its node's namespace. */
export function listenOnHost(node: Netns, pod: PodModel): void {
  for (const p of pod.ports) {
    if (p.protocol === 'SCTP') continue;
    const proto = p.protocol === 'UDP' ? 'udp' : 'tcp';
    if (!node.sockets.some((s) => s.proto === proto && s.port === p.port))
      node.sockets.push({
        proto,
        ip: 0 as Ip4,
        port: p.port,
        process: pod.labels.component ?? pod.name,
      });
  }
}
