import type { Diagnostic } from '../../diagnostics';
import type { Netns } from '../../kernel/netns';
import {
  createNetfilterState,
  ipsetRestore,
  ipvsRestore,
  restore,
  type NetfilterState,
} from '../../netfilter/index';
import type { ClusterModel, NodeModel } from '../model';
import { addAddress, addDevice } from '../../kernel/netns';
import { ip4 } from '../../wire/ip';
import { stableMac } from '../names';
import { kubeProxyRuleset, type ProxyInput } from './iptables';
import { restoreText, type Ruleset } from './ruleset';
import { ipsetSaveText, ipvsadmSaveText, kubeProxyIpvs, type IpvsState } from './ipvs';

export interface InstalledRules {
  /** IPVS mode: the sets, virtual servers and kube-ipvs0 addresses kube-proxy made. */
  ipvs?: IpvsState;
  /** The iptables-save text kube-proxy's rules amount to on this node. */
  text: string;
  /** What iptables-restore said; empty when every table loaded. */
  problems: Diagnostic[];
}

// Kept beside the namespace rather than in it: the kernel's Netns is another layer's type, and
// this is only needed to explain a ruleset the netfilter model could not load (yet).
const installed = new WeakMap<Netns, InstalledRules>();

export function kubeProxyRulesOf(ns: Netns): InstalledRules | undefined {
  return installed.get(ns);
}

function inputFor(model: ClusterModel, node: NodeModel): ProxyInput | null {
  if (!model.kubeProxy) return null;
  return {
    node,
    services: model.services ?? [],
    slices: model.endpointSlices ?? [],
    config: model.kubeProxy,
  };
}

/** The IPVS-mode state kube-proxy makes on `node`, or null when it does not run in IPVS mode. */
export function kubeProxyIpvsState(model: ClusterModel, node: NodeModel): IpvsState | null {
  const input = inputFor(model, node);
  return input && input.config.mode === 'ipvs' ? kubeProxyIpvs(input) : null;
}

function rulesetFor(model: ClusterModel, node: NodeModel): Ruleset | null {
  const input = inputFor(model, node);
  if (!input) return null;
  if (input.config.mode === 'iptables') return kubeProxyRuleset(input);
  if (input.config.mode === 'ipvs') return kubeProxyIpvs(input).iptables;
  return null;
}

/** The iptables-save text kube-proxy's rules amount to on `node` (iptables or IPVS mode), else null. */
export function kubeProxyText(model: ClusterModel, node: NodeModel): string | null {
  return rulesetFor(model, node)?.save() ?? null;
}

/** Loads kube-proxy's ruleset into the node's root namespace through iptables-restore. */
export function installKubeProxy(model: ClusterModel, node: NodeModel, ns: Netns): void {
  const ipvs = kubeProxyIpvsState(model, node) ?? undefined;
  const rs = ipvs ? ipvs.iptables : rulesetFor(model, node);
  if (!rs) return;
  const text = rs.save();
  const input = restoreText(rs);
  if (ipvs) bindIpvsAddresses(ns, ipvs);
  // All or nothing: a node whose kube-proxy could not load its nat and filter tables would
  // not keep a stray mangle table either, so try on a scratch state first.
  const file = `kube-proxy@${node.name}`;
  // The sets must exist before rules that match them load, as kube-proxy orders it.
  const scratch = createNetfilterState();
  const problems = ipvs ? loadIpvs(scratch, ipvs, file) : [];
  problems.push(...restore(scratch, input, file, { noflush: true }));
  if (problems.length === 0) {
    if (ipvs) loadIpvs(ns.netfilter, ipvs, file);
    restore(ns.netfilter, input, file, { noflush: true });
  }
  installed.set(ns, { text, problems, ...(ipvs ? { ipvs } : {}) });
}

/**
 * kube-ipvs0: a dummy device, left down, holding every service address as a /32 so the node's
 * local table claims them (the packet is then "for this host" and IPVS takes it at LOCAL_IN).
 */
function bindIpvsAddresses(ns: Netns, ipvs: IpvsState): void {
  const dev = addDevice(ns, 'kube-ipvs0', 'dummy', stableMac(`${ns.id}/kube-ipvs0`));
  dev.up = false;
  for (const a of ipvs.dummyAddresses) addAddress(ns, dev.name, ip4(a), { addr: ip4(a), len: 32 });
}

/** kube-proxy's ipsets (`ipset restore`) and virtual servers (`ipvsadm -R`) into a namespace. */
function loadIpvs(state: NetfilterState, ipvs: IpvsState, file: string): Diagnostic[] {
  return [
    ...ipsetRestore(state.sets, ipsetSaveText(ipvs.ipsets), `${file}/ipset`),
    ...ipvsRestore(state.ipvs, ipvsadmSaveText(ipvs.virtualServers), `${file}/ipvs`),
  ];
}
