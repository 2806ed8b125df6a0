import { addAddress, addDevice, addRoute, createNetns } from '../kernel/netns';
import { route } from '../kernel/routing';
import { createWorld, type World } from '../kernel/world';
import { cidr4, ip4, nthAddress } from '../wire/ip';
import { buildLabWorld } from './lab-world';
import { attachPod, setUpBridge } from './cni/bridge-cni';
import type { ClusterModel } from './model';
import { stableMac } from './names';
import { installKubeProxy } from './proxy/install';
import { registerServices } from './service-registry';

export const UNDERLAY_SEGMENT = 'underlay';

/**
 * Turns the cluster model into kernel state: a root namespace per node with eth0 on the
 * underlay, the CNI's devices and routes, and a namespace per pod.
 */
export function buildWorld(model: ClusterModel): World {
  if (model.lab) return buildLabWorld(model.lab);
  const world = createWorld();
  registerServices(world, model.services ?? []);
  const net = model.network;
  const underlay = cidr4(net.underlayCIDR);
  world.segments.set(UNDERLAY_SEGMENT, { name: UNDERLAY_SEGMENT, cidr: underlay, members: [] });
  for (const n of model.nodes) {
    const ns = createNetns(n.name, n.name, 'root', {
      ipForward: true,
      // systemd's default (50-default.conf): loose reverse-path filtering.
      rpFilter: 2,
      bridgeNfCallIptables: net.brNetfilter,
    });
    world.namespaces.set(ns.id, ns);
    const eth0 = addDevice(ns, 'eth0', 'phys', stableMac(`${n.name}/eth0`), {
      segment: UNDERLAY_SEGMENT,
    });
    addAddress(ns, eth0.name, ip4(n.internalIP), underlay);
    world.segments.get(UNDERLAY_SEGMENT)!.members.push({ ns: ns.id, dev: eth0.name });
    addRoute(
      ns,
      route({
        dst: { addr: 0 as never, len: 0 },
        via: nthAddress(underlay, 1),
        dev: 'eth0',
        proto: 'static',
      }),
    );
    const podCIDR = cidr4(n.podCIDR);
    setUpBridge(ns, podCIDR, net);
    world.hosts.push({ name: n.name, kind: 'node', ip: ip4(n.internalIP), podCIDR, rootNs: ns.id });
    installKubeProxy(model, n, ns);
  }
  for (const pod of model.pods) {
    const node = world.namespaces.get(pod.node);
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
      continue;
    }
    attachPod(world, node, pod, cidr4(nodeModel.podCIDR), net);
    world.pods.set(`${pod.namespace}/${pod.name}`, {
      namespace: pod.namespace,
      name: pod.name,
      node: pod.node,
      ip: ip4(pod.ip),
      labels: pod.labels,
      hostNetwork: false,
    });
  }
  return world;
}
