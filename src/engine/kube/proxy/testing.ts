import type {
  ClusterModel,
  EndpointSliceModel,
  KubeProxyModel,
  NodeModel,
  ServiceModel,
} from '../model';

/** Small hand-built inputs for the proxy's tests (the engine's tests cannot parse YAML). */
export const PROXY_DEFAULTS: KubeProxyModel = {
  mode: 'iptables',
  clusterCIDR: '10.244.0.0/16',
  masqueradeAll: false,
  masqueradeBit: 14,
  localhostNodePorts: true,
  ipvsScheduler: 'rr',
};

export function node(name: string, internalIP: string, podCIDR: string): NodeModel {
  return {
    name,
    internalIP,
    podCIDR,
    labels: { 'kubernetes.io/hostname': name },
    schedulable: true,
  };
}

export function service(
  p: Partial<ServiceModel> & Pick<ServiceModel, 'name' | 'clusterIP' | 'ports'>,
): ServiceModel {
  return {
    namespace: 'default',
    type: 'ClusterIP',
    selector: { app: p.name },
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    affinitySeconds: null,
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ...p,
  };
}

/** One slice for `svc` with ready endpoints `ip@node`. */
export function slice(
  svc: string,
  ports: EndpointSliceModel['ports'],
  endpoints: string[],
): EndpointSliceModel {
  return {
    namespace: 'default',
    name: `${svc}-abcde`,
    service: svc,
    managedBy: 'endpointslice-controller.k8s.io',
    ports,
    endpoints: endpoints.map((e) => {
      const [ip, nodeName] = e.split('@');
      return {
        ip: ip!,
        ready: true,
        serving: true,
        terminating: false,
        ...(nodeName ? { nodeName } : {}),
      };
    }),
  };
}

export function clusterWith(
  nodes: NodeModel[],
  services: ServiceModel[],
  slices: EndpointSliceModel[],
): ClusterModel {
  return {
    network: {
      clusterCIDR: '10.244.0.0/16',
      serviceCIDR: '10.96.0.0/12',
      cni: 'bridge',
      bridgeName: 'cni0',
      brNetfilter: true,
      underlayCIDR: '192.168.56.0/24',
    },
    nodes,
    pods: [],
    services,
    endpointSlices: slices,
    kubeProxy: PROXY_DEFAULTS,
  };
}
