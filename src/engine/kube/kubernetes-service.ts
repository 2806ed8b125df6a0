import { cidr4, formatIp4, nthAddress } from '../wire/ip';
import type { NodeModel, PodModel } from './model';
import type { EndpointSliceObject, KubeObject, ServiceObject } from './objects';

/**
 * The `kubernetes` Service (default/kubernetes) every real cluster has: ClusterIP .1 of the
 * service CIDR, port 443 named https, no selector, and an EndpointSlice the apiserver writes
 * itself pointing at each apiserver's address on 6443.
 *
 * It appears only when the cluster asks for it — the Service is declared (a `kubectl get -o
 * yaml` dump has it), or a kubeadm cluster is described (the kube-system/kubeadm-config
 * ConfigMap) — because otherwise every small scenario would carry its rules (docs/DEFAULTS.md).
 * What the manifests give wins: a declared Service keeps its own fields, a declared
 * EndpointSlice or Endpoints its own endpoints.
 */

const APISERVER_PORT = 6443;

/** The node the apiserver runs on: the one labelled control-plane (or master), else the first. */
export function controlPlaneNode(nodes: readonly NodeModel[]): NodeModel | undefined {
  const role = (n: NodeModel) =>
    'node-role.kubernetes.io/control-plane' in n.labels ||
    'node-role.kubernetes.io/master' in n.labels;
  return nodes.find(role) ?? nodes[0];
}

function wanted(objects: readonly KubeObject[]) {
  const declared = objects.find(
    (o): o is ServiceObject =>
      o.kind === 'Service' && o.meta.namespace === 'default' && o.meta.name === 'kubernetes',
  );
  const kubeadm = objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      o.meta.namespace === 'kube-system' &&
      o.meta.name === 'kubeadm-config',
  );
  return { declared, kubeadm };
}

export interface KubernetesService {
  /** Objects to add to the manifests' before Services are allocated. */
  objects: KubeObject[];
  /** The apiserver as the static, host-network pod kubeadm runs (its socket on 6443). */
  apiserver?: PodModel;
}

export function kubernetesService(
  objects: readonly KubeObject[],
  nodes: readonly NodeModel[],
  serviceCIDR: string,
): KubernetesService {
  const { declared, kubeadm } = wanted(objects);
  const cp = controlPlaneNode(nodes);
  if ((!declared && !kubeadm) || !cp) return { objects: [] };
  const source = (declared ?? kubeadm)!.meta.source;
  const meta = (name: string, labels: Record<string, string>) => ({
    name,
    namespace: 'default',
    labels,
    annotations: {},
    source,
  });
  const out: KubeObject[] = [];
  if (!declared)
    out.push({
      kind: 'Service',
      meta: meta('kubernetes', { component: 'apiserver', provider: 'kubernetes' }),
      type: 'ClusterIP',
      selector: null,
      clusterIP: formatIp4(nthAddress(cidr4(serviceCIDR), 1)),
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: APISERVER_PORT, source }],
      externalIPs: [],
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      loadBalancerSourceRanges: [],
      loadBalancerIngress: [],
    });
  const hasEndpoints = objects.some(
    (o) =>
      (o.kind === 'EndpointSlice' &&
        o.meta.namespace === 'default' &&
        o.serviceName === 'kubernetes') ||
      (o.kind === 'Endpoints' && o.meta.namespace === 'default' && o.meta.name === 'kubernetes'),
  );
  if (!hasEndpoints) {
    const slice: EndpointSliceObject = {
      kind: 'EndpointSlice',
      meta: meta('kubernetes', { 'kubernetes.io/service-name': 'kubernetes' }),
      serviceName: 'kubernetes',
      addressType: 'IPv4',
      endpoints: [{ ip: cp.internalIP, ready: true, serving: true, terminating: false }],
      ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
    };
    out.push(slice);
  }
  const apiserver: PodModel = {
    namespace: 'kube-system',
    name: `kube-apiserver-${cp.name}`,
    node: cp.name,
    ip: cp.internalIP,
    labels: { component: 'kube-apiserver', tier: 'control-plane' },
    ready: true,
    hostNetwork: true,
    ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
    owner: `Node/${cp.name}`,
  };
  return { objects: out, apiserver };
}
