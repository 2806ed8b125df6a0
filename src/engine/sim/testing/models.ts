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

/**
 * Two nodes on one segment, a web pod on each, flannel with `backend`: the smallest cluster
 * with a cross-node path.
 */
export function twoNodes(
  backend: 'vxlan' | 'host-gw' | 'udp',
  overrides: Partial<ClusterModel['network']> = {},
): ClusterModel {
  const node = (i: number) => ({
    name: `node-${i + 1}`,
    internalIP: `192.168.56.${11 + i}`,
    podCIDR: `10.244.${i}.0/24`,
    labels: { 'kubernetes.io/hostname': `node-${i + 1}` },
    schedulable: true,
  });
  return {
    network: {
      ...NETWORK,
      cni: 'flannel',
      flannel: {
        network: '10.244.0.0/16',
        backend,
        vni: 1,
        port: backend === 'udp' ? 8285 : 8472,
        directRouting: false,
      },
      ...overrides,
    },
    nodes: [node(0), node(1)],
    pods: [webPod('web-a', '10.244.0.2', 'node-1'), webPod('web-b', '10.244.1.2', 'node-2')],
  };
}

/** Two nodes running Calico without encapsulation: BGP's routes become the lab's static routes. */
export function calicoTwoNodes(): ClusterModel {
  const base = twoNodes('vxlan');
  return {
    ...base,
    network: {
      ...NETWORK,
      cni: 'calico',
      calico: {
        pool: {
          cidr: '10.244.0.0/16',
          ipipMode: 'Never',
          vxlanMode: 'Never',
          natOutgoing: false,
          blockSize: 26,
        },
        mesh: true,
        asNumber: 64512,
        peers: [],
      },
    },
    nodes: base.nodes.map((n, i) => ({ ...n, podCIDR: `10.244.0.${i * 64}/26` })),
    pods: [webPod('web-a', '10.244.0.1', 'node-1'), webPod('web-b', '10.244.0.65', 'node-2')],
  };
}

/** `twoNodes(backend)` with node-2 on a second subnet behind a router, `tor`. */
export function twoNodesTwoSubnets(backend: 'vxlan' | 'host-gw' | 'udp'): ClusterModel {
  const base = twoNodes(backend);
  return {
    ...base,
    network: {
      ...base.network,
      underlay: {
        segments: [
          { name: 'rack-a', cidr: '192.168.56.0/24', gateway: '192.168.56.1' },
          { name: 'rack-b', cidr: '192.168.57.0/24', gateway: '192.168.57.1' },
        ],
        routers: [
          {
            name: 'tor',
            interfaces: [
              { segment: 'rack-a', ip: '192.168.56.1' },
              { segment: 'rack-b', ip: '192.168.57.1' },
            ],
          },
        ],
        nodeSegments: { 'node-1': 'rack-a', 'node-2': 'rack-b' },
      },
    },
    nodes: base.nodes.map((n, i) =>
      i === 1
        ? { ...n, internalIP: '192.168.57.12', segment: 'rack-b' }
        : { ...n, segment: 'rack-a' },
    ),
  };
}
