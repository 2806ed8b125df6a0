import type { ClusterModel, PodModel } from '../../kube/model';

const NETWORK: ClusterModel['network'] = {
  clusterCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
  cni: 'bridge',
  bridgeName: 'cni0',
  brNetfilter: true,
  underlayCIDR: '192.168.56.0/24',
};

function webPod(name: string, ip: string, node = 'node-1'): PodModel {
  return {
    namespace: 'default',
    name,
    node,
    ip,
    labels: { app: 'web' },
    ready: true,
    hostNetwork: false,
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    owner: 'Deployment/web',
  };
}

/** The default scenario's cluster: one node, two nginx pods on cni0. */
export function twoPodsOneNode(overrides: Partial<ClusterModel['network']> = {}): ClusterModel {
  return {
    network: { ...NETWORK, ...overrides },
    nodes: [
      {
        name: 'node-1',
        internalIP: '192.168.56.11',
        podCIDR: '10.244.0.0/24',
        labels: { 'kubernetes.io/hostname': 'node-1' },
        schedulable: true,
      },
    ],
    pods: [webPod('web-a', '10.244.0.2'), webPod('web-b', '10.244.0.3')],
  };
}
