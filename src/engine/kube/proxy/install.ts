import type { Diagnostic } from '../../diagnostics';
import type { Netns } from '../../kernel/netns';
import { createNetfilterState, restore } from '../../netfilter/index';
import type { ClusterModel, NodeModel } from '../model';
import { kubeProxyRuleset } from './iptables';

export interface InstalledRules {
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

/** The iptables-save text kube-proxy writes on `node`, or null when it does not run in iptables mode. */
export function kubeProxyText(model: ClusterModel, node: NodeModel): string | null {
  if (!model.kubeProxy || model.kubeProxy.mode !== 'iptables') return null;
  return kubeProxyRuleset({
    node,
    services: model.services ?? [],
    slices: model.endpointSlices ?? [],
    config: model.kubeProxy,
  }).save();
}

/** Loads kube-proxy's ruleset into the node's root namespace through iptables-restore. */
export function installKubeProxy(model: ClusterModel, node: NodeModel, ns: Netns): void {
  const text = kubeProxyText(model, node);
  if (text === null) return;
  // All or nothing: a node whose kube-proxy could not load its nat and filter tables would
  // not keep a stray mangle table either, so try on a scratch state first.
  const problems = restore(createNetfilterState(), text, `kube-proxy@${node.name}`);
  if (problems.length === 0) restore(ns.netfilter, text, `kube-proxy@${node.name}`);
  installed.set(ns, { text, problems });
}
