import { addAddress, addDevice, addRoute, createNetns, type Netns } from '../kernel/netns';
import { route } from '../kernel/routing';
import { createWorld, type World } from '../kernel/world';
import { cidr4, ip4 } from '../wire/ip';
import { segmentOf } from './cluster-network';
import { buildLabWorld } from './lab-world';
import { attachPod, setUpBridge } from './cni/bridge-cni';
import { attachCalicoPod, setUpCalico } from './cni/calico';
import { bgpExchange, setBgpState } from './cni/calico-bgp';
import { installFelixRules } from './cni/calico-felix';
import { installFlannelRules, setUpFlannel } from './cni/flannel';
import type { ClusterModel, NetworkModel } from './model';
import { stableMac } from './names';
import { installKubeProxy } from './proxy/install';
import { addOutsideClients, announceLoadBalancerIPs, listenOnHost } from './outside';
import { registerCluster, registerServices } from './service-registry';
import { addCloudLoadBalancers } from './cloud-lb-host';

/** The segment's name when the scenario has no Underlay: one LAN for every node. */
export const UNDERLAY_SEGMENT = 'underlay';

/** Every underlay segment (a switch), and a namespace per router with a NIC on each of its segments. */
function buildUnderlay(world: World, net: NetworkModel): void {
  const segments = net.underlay?.segments ?? [
    { name: UNDERLAY_SEGMENT, cidr: net.underlayCIDR, gateway: '' },
  ];
  for (const s of segments)
    world.segments.set(s.name, { name: s.name, cidr: cidr4(s.cidr), members: [] });
  for (const r of net.underlay?.routers ?? []) {
    const ns = createNetns(r.name, r.name, 'root', { ipForward: true });
    world.namespaces.set(ns.id, ns);
    r.interfaces.forEach((i, k) => {
      const seg = world.segments.get(i.segment);
      if (!seg) return;
      const dev = addDevice(ns, `eth${k}`, 'phys', stableMac(`${r.name}/eth${k}`), {
        segment: seg.name,
      });
      addAddress(ns, dev.name, ip4(i.ip), seg.cidr);
      seg.members.push({ ns: ns.id, dev: dev.name });
    });
    const first = r.interfaces[0];
    if (first)
      world.hosts.push({
        name: r.name,
        kind: 'outside',
        ip: ip4(first.ip),
        podCIDR: null,
        rootNs: ns.id,
      });
  }
}

/**
 * Turns the cluster model into kernel state: a root namespace per node with eth0 on its
 * underlay segment, the CNI's devices, routes and rules, and a namespace per pod.
 */
export function buildWorld(model: ClusterModel): World {
  if (model.lab) return buildLabWorld(model.lab);
  const world = createWorld();
  registerServices(world, model.services ?? []);
  registerCluster(world, model);
  const net = model.network;
  buildUnderlay(world, net);
  const roots = new Map<string, Netns>();
  // BIRD runs when Calico routes with BGP; in VXLAN mode Felix programs the routes itself.
  const bgp =
    net.calico && net.calico.pool.vxlanMode === 'Never' ? bgpExchange(net, model.nodes) : null;
  for (const n of model.nodes) {
    const ns = createNetns(n.name, n.name, 'root', {
      ipForward: true,
      // systemd's default (50-default.conf): loose reverse-path filtering.
      rpFilter: 2,
      bridgeNfCallIptables: net.brNetfilter,
    });
    world.namespaces.set(ns.id, ns);
    roots.set(n.name, ns);
    const seg = segmentOf(net, n.name);
    const eth0 = addDevice(ns, 'eth0', 'phys', stableMac(`${n.name}/eth0`), { segment: seg.name });
    addAddress(ns, eth0.name, ip4(n.internalIP), cidr4(seg.cidr));
    world.segments.get(seg.name)?.members.push({ ns: ns.id, dev: eth0.name });
    addRoute(
      ns,
      route({
        dst: { addr: 0 as never, len: 0 },
        via: ip4(seg.gateway),
        dev: 'eth0',
        proto: 'static',
      }),
    );
    // In the order a kubeadm node comes up: kube-proxy (kube-ipvs0), then flanneld (its
    // device and rules), then the bridge plugin, which creates cni0 for the first pod.
    installKubeProxy(model, n, ns);
    const podCIDR = cidr4(n.podCIDR);
    if (net.cni === 'calico') {
      const state = bgp?.get(n.name);
      if (state) setBgpState(ns, state);
      setUpCalico(model, n, ns, state);
      installFelixRules(model, n, ns);
    } else {
      setUpFlannel(model, n, ns);
      installFlannelRules(net, n, ns);
      setUpBridge(ns, podCIDR, net);
    }
    world.hosts.push({ name: n.name, kind: 'node', ip: ip4(n.internalIP), podCIDR, rootNs: ns.id });
  }
  for (const pod of model.pods) {
    const node = roots.get(pod.node);
    const nodeModel = model.nodes.find((n) => n.name === pod.node);
    if (!node || !nodeModel) continue;
    if (pod.hostNetwork) {
      world.pods.set(`${pod.namespace}/${pod.name}`, {
        namespace: pod.namespace,
        name: pod.name,
        node: pod.node,
        ip: ip4(pod.ip),
        labels: pod.labels,
        hostNetwork: true,
      });
      listenOnHost(node, pod);
      continue;
    }
    if (net.cni === 'calico') attachCalicoPod(world, node, pod, net);
    else attachPod(world, node, pod, cidr4(nodeModel.podCIDR), net);
    world.pods.set(`${pod.namespace}/${pod.name}`, {
      namespace: pod.namespace,
      name: pod.name,
      node: pod.node,
      ip: ip4(pod.ip),
      labels: pod.labels,
      hostNetwork: false,
    });
  }
  announceLoadBalancerIPs(world, model);
  addCloudLoadBalancers(world, model);
  addOutsideClients(world, model);
  return world;
}
