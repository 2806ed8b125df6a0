import type { Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import { conntrackList, ipsetList, ipvsadm, listTables, save } from '../netfilter/index';
import { bgpStateOf, bgpText } from '../kube/cni/calico-bgp';
import { kubeProxyRulesOf } from '../kube/proxy/install';
import { ipsetSaveText, ipvsadmText } from '../kube/proxy/ipvs';
import { nodeResolvConf, podResolvConf, resolvConfText } from '../kube/resolv-conf';
import { clusterOf } from '../kube/service-registry';
import { addrsText, fdbText, linksText, neighText, routesText } from './dump-ip';

export const DUMP_WHATS = [
  'iptables-save',
  'iptables-list',
  'ipset',
  'ipvsadm',
  'routes',
  'neigh',
  'fdb',
  'links',
  'addrs',
  'conntrack',
  'bgp',
  'resolv',
] as const;
export type DumpWhat = (typeof DUMP_WHATS)[number];

const IPVSADM_EMPTY = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
].join('\n');

/**
 * `iptables-save`. Where the netfilter model could not load kube-proxy's ruleset (a match or
 * target it does not model yet), the node would still have those rules: print them as kube-proxy
 * wrote them, after a comment saying the packet walk does not evaluate them.
 */
function iptablesSave(ns: Netns): string {
  const kp = kubeProxyRulesOf(ns);
  if (!kp || kp.problems.length === 0) return save(ns.netfilter, { header: true });
  const why = kp.problems[0]!.message;
  return `# kube-proxy's rules below are not loaded into the packet walk yet (${why})\n${kp.text}`;
}

/**
 * `iptables -L -n -v` for every table (docs/KERNEL-NOTES.md: one `# Table: T` line before
 * each). It can only list what the netfilter model loaded, so where kube-proxy's ruleset did
 * not load, a first comment says that its rules are missing from the listing.
 */
function iptablesList(ns: Netns): string {
  const kp = kubeProxyRulesOf(ns);
  const text = listTables(ns.netfilter);
  if (!kp || kp.problems.length === 0) return text;
  const why = kp.problems[0]!.message;
  return `# kube-proxy's rules are not loaded into the packet walk yet (${why}), so they are not listed; see --what iptables-save\n${text}`;
}

/**
 * What a tool prints on a node (or in a pod's namespace, named `NS/POD`). An error for an
 * unknown node.
 */
export function dump(
  world: World,
  node: string,
  what: DumpWhat,
): { text: string } | { error: string } {
  const ns = world.namespaces.get(node);
  if (!ns) return { error: `no node or pod namespace named "${node}"` };
  switch (what) {
    case 'routes':
      return { text: routesText(ns) };
    case 'neigh':
      return { text: neighText(ns) };
    case 'fdb':
      return { text: fdbText(ns) };
    case 'links':
      return { text: linksText(world, ns) };
    case 'addrs':
      return { text: addrsText(world, ns) };
    case 'iptables-save':
      return { text: iptablesSave(ns) };
    case 'conntrack':
      return { text: conntrackList(ns.netfilter, world.now) };
    case 'ipvsadm': {
      // kube-proxy's virtual servers, from the netfilter model once loaded, else as generated.
      const kp = kubeProxyRulesOf(ns);
      if (kp?.ipvs && kp.problems.length > 0) return { text: ipvsadmText(kp.ipvs.virtualServers) };
      return { text: ns.netfilter.ipvs.services.length ? ipvsadm(ns.netfilter) : IPVSADM_EMPTY };
    }
    case 'ipset': {
      const kp = kubeProxyRulesOf(ns);
      if (kp?.ipvs && kp.problems.length > 0) return { text: ipsetSaveText(kp.ipvs.ipsets) };
      return { text: ipsetList(ns.netfilter) };
    }
    case 'bgp':
      return { text: bgpText(ns.id, bgpStateOf(ns)) };
    case 'iptables-list':
      return { text: iptablesList(ns) };
    case 'resolv':
      return resolvText(world, ns);
  }
}

/** `cat /etc/resolv.conf` in a pod (as kubelet wrote it for its dnsPolicy) or on a node. */
function resolvText(world: World, ns: Netns): { text: string } | { error: string } {
  const model = clusterOf(world);
  if (!model || model.lab)
    return { error: 'resolv: only the pods and nodes of a cluster have one' };
  const pod = model.pods.find((p) => `${p.namespace}/${p.name}` === ns.id);
  if (pod) return { text: resolvConfText(podResolvConf(model, pod)) };
  const node = model.nodes.find((n) => n.name === ns.id);
  if (node) return { text: resolvConfText(nodeResolvConf(model, node.name)) };
  return { error: `resolv: "${ns.id}" is neither a pod nor a node` };
}
