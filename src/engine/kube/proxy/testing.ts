import type { Trace } from '../../sim/trace-types';
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

/**
 * A cluster of one node with ten web pods and `n` ClusterIP Services, each with all ten pods
 * as endpoints (the benchmark's shape: 10,000 × 10), plus a client pod.
 */
export function scaleCluster(n: number, mode: KubeProxyModel['mode']): ClusterModel {
  const n1 = node('node-1', '192.168.56.11', '10.244.0.0/24');
  const pod = (name: string, ip: string, labels: Record<string, string>) => ({
    namespace: 'default',
    name,
    node: 'node-1',
    ip,
    labels,
    ready: true,
    hostNetwork: false,
    ports: [{ name: 'http', port: 80, protocol: 'TCP' as const }],
  });
  const webs = Array.from({ length: 10 }, (_, i) =>
    pod(`web-${i}`, `10.244.0.${10 + i}`, { app: 'web' }),
  );
  const services: ServiceModel[] = [];
  const slices: EndpointSliceModel[] = [];
  for (let i = 0; i < n; i++) {
    // 10.96.0.10 onwards: .1 stays free for the kubernetes Service.
    const off = 10 + i;
    const ip = `10.96.${off >> 8}.${off & 255}`;
    services.push(
      service({
        name: svcName(i),
        clusterIP: ip,
        selector: null,
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
      }),
    );
    slices.push(
      slice(
        svcName(i),
        [{ name: 'http', port: 80, protocol: 'TCP' }],
        webs.map((w) => `${w.ip}@node-1`),
      ),
    );
  }
  return {
    network: {
      clusterCIDR: '10.244.0.0/16',
      serviceCIDR: '10.96.0.0/12',
      cni: 'bridge',
      bridgeName: 'cni0',
      brNetfilter: true,
      underlayCIDR: '192.168.56.0/24',
    },
    nodes: [n1],
    pods: [pod('client', '10.244.0.2', { app: 'client' }), ...webs],
    services,
    endpointSlices: slices,
    kubeProxy: { ...PROXY_DEFAULTS, mode },
  };
}

/** Zero-padded, so name order (kube-proxy's chain order here) is creation order. */
export function svcName(i: number): string {
  return `svc-${String(i).padStart(5, '0')}`;
}

/** Rules the first packet's request walked, matched or not (a run of misses counts each rule). */
export function rulesEvaluated(t: Trace): number {
  return t.events.reduce(
    (n, e) =>
      e.kind === 'netfilter' && e.dir === 'request' && e.rule !== null
        ? n + (e.range ? e.range[1] - e.range[0] + 1 : 1)
        : n,
    0,
  );
}
