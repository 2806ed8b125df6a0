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
  if (cfg && mode !== 'iptables')
    diagnostics.push({
      ...cfg.source,
      severity: 'warning',
      code: 'PW2020',
      message:
        mode === 'ipvs'
          ? 'kube-proxy mode "ipvs": nodes get kube-ipvs0, the ipsets, the IPVS virtual servers and their iptables rules (dump ipvsadm / ipset / iptables-save), but the packet walk does not run IPVS yet'
          : `kube-proxy mode "${mode}" is not modelled yet: nodes get no service rules (modes "iptables" and "ipvs" are)`,
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
