import type { Diagnostic } from '../../diagnostics';
import type { KubeProxyModel, NetworkModel } from '../model';
import type { KubeObject } from '../objects';

/** The version whose iptables rules Packetwalk reproduces (pkg/proxy/iptables/proxier.go). */
export const KUBE_PROXY_VERSION = 'v1.30';

/**
 * kube-proxy's settings: the kube-system/kube-proxy ConfigMap's KubeProxyConfiguration, else
 * kubeadm's defaults (mode iptables, clusterCIDR = the pod network, masqueradeBit 14,
 * localhostNodePorts true).
 */
export function kubeProxyFrom(
  objects: readonly KubeObject[],
  network: NetworkModel,
  diagnostics: Diagnostic[],
): KubeProxyModel {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.kubeProxy !== undefined);
  const cfg = cm?.kind === 'ConfigMap' ? cm.kubeProxy : undefined;
  const mode = cfg?.mode ? cfg.mode : 'iptables';
  if (cfg && mode === 'userspace')
    diagnostics.push({
      ...cfg.source,
      severity: 'info',
      code: 'PW2041',
      message:
        'kube-proxy mode "userspace" was removed in v1.26; Packetwalk models it as kube-proxy v1.25 and earlier ran it (KUBE-PORTALS-* rules, kube-proxy relaying each connection)',
    });
  if (cfg && mode === 'nftables')
    diagnostics.push({
      ...cfg.source,
      severity: 'warning',
      code: 'PW2020',
      message: `kube-proxy mode "${mode}" is not modelled yet: nodes get no service rules (modes "iptables", "ipvs" and "userspace" are)`,
    });
  return {
    mode,
    clusterCIDR: cfg?.clusterCIDR ?? network.clusterCIDR,
    masqueradeAll: cfg?.masqueradeAll ?? false,
    masqueradeBit: cfg?.masqueradeBit ?? 14,
    localhostNodePorts: cfg?.localhostNodePorts ?? true,
    ipvsScheduler: cfg?.ipvsScheduler ?? 'rr',
  };
}
