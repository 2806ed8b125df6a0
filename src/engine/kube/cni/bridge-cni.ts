import { addAddress, addDevice, addRoute, createNetns, type Netns } from '../../kernel/netns';
import { route } from '../../kernel/routing';
import type { World } from '../../kernel/world';
import { cidr4, ip4, nthAddress, type Cidr4 } from '../../wire/ip';
import type { NetworkModel, PodModel } from '../model';
import { hostVethName, stableMac } from '../names';
import { flannelMtu } from './flannel';

/**
 * What the CNI `bridge` plugin with host-local IPAM does on a node (the plugin flannel
 * delegates to): a `cni0` bridge holding the node's pod gateway (.1 of its podCIDR), and per pod
 * a veth pair, eth0 in the pod, the host end enslaved to the bridge.
 */
export function setUpBridge(node: Netns, podCIDR: Cidr4, net: NetworkModel): void {
  const br = addDevice(node, net.bridgeName, 'bridge', stableMac(`${node.id}/${net.bridgeName}`));
  // The bridge plugin creates cni0 with the MTU flannel's subnet.env gives it.
  br.mtu = flannelMtu(net);
  addAddress(node, br.name, nthAddress(podCIDR, 1), podCIDR);
  node.fdb.get(br.name)?.set(br.mac!, { port: br.name, local: true });
}

export function attachPod(
  world: World,
  node: Netns,
  pod: PodModel,
  podCIDR: Cidr4,
  net: NetworkModel,
): Netns {
  const key = `${pod.namespace}/${pod.name}`;
  const ns = createNetns(key, node.id, 'pod');
  world.namespaces.set(key, ns);
  const hostName = hostVethName(key);
  const mtu = flannelMtu(net);
  const eth0 = addDevice(ns, 'eth0', 'veth', stableMac(`${key}/eth0`), {
    peer: { ns: node.id, dev: hostName },
    mtu,
  });
  const host = addDevice(node, hostName, 'veth', stableMac(`${key}/${hostName}`), {
    mtu,
    peer: { ns: key, dev: 'eth0' },
    master: net.bridgeName,
    // Kubelet turns hairpin mode on for every bridge port so a pod can reach itself via a Service.
    hairpin: true,
  });
  node.fdb.get(net.bridgeName)?.set(host.mac!, { port: host.name, local: true });
  const ip = ip4(pod.ip);
  addAddress(ns, eth0.name, ip, podCIDR);
  const gw = nthAddress(podCIDR, 1);
  addRoute(ns, route({ dst: { addr: 0 as never, len: 0 }, via: gw, dev: 'eth0' }));
  // flannel's CNI config adds a route for the whole cluster network through the bridge too.
  addRoute(ns, route({ dst: cidr4(net.clusterCIDR), via: gw, dev: 'eth0' }));
  listenOnPorts(ns, pod);
  return ns;
}

/** A socket per declared containerPort: what the pod's processes listen on. */
export function listenOnPorts(ns: Netns, pod: PodModel): void {
  for (const p of pod.ports) {
    if (p.protocol === 'SCTP') continue;
    const proto = p.protocol === 'UDP' ? 'udp' : 'tcp';
    if (!ns.sockets.some((s) => s.proto === proto && s.port === p.port)) {
      ns.sockets.push({ proto, ip: 0 as never, port: p.port, process: processName(pod) });
    }
  }
}

/** The name shown for the process listening in a pod: its workload's name, else the pod's. */
function processName(pod: PodModel): string {
  return pod.owner?.split('/')[1] ?? pod.name;
}
