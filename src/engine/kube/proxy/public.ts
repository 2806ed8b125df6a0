import type { ClusterModel } from '../model';
import { kubeProxyText } from './install';

export { KUBE_PROXY_VERSION } from './config';

/**
 * The iptables-save text kube-proxy writes on `nodeName` (null: no such node, or kube-proxy is
 * not in iptables mode). What `packetwalk dump --what iptables-save` shows, without whatever
 * else the node has.
 */
export function kubeProxyRules(model: ClusterModel, nodeName: string): string | null {
  const node = model.nodes.find((n) => n.name === nodeName);
  return node ? kubeProxyText(model, node) : null;
}
