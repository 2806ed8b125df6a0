import type { Preset } from '../preset';
import { CLIENT_POD } from './nodes';

type Backend = 'vxlan' | 'host-gw' | 'udp';

/** The ConfigMap as seed 000 §4.4 writes it, with the backend filled in. */
function flannelConfigMap(backend: Backend): string {
  return `kind: ConfigMap
apiVersion: v1
metadata:
  name: kube-flannel-cfg
  namespace: kube-system
  labels:
    tier: node
    app: flannel
data:
  net-conf.json: |
    {
      "Network": "10.244.0.0/16",
      "Backend": {
        "Type": "${backend}"
      }
    }
`;
}

const NODES = `apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
`;

/** Two racks, one router between them: the nodes are not on one L2 segment. */
const TWO_SUBNETS = `apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata:
  name: two-racks
spec:
  segments:
    - name: rack-a
      cidr: 192.168.56.0/24
      gateway: 192.168.56.1
    - name: rack-b
      cidr: 192.168.57.0/24
      gateway: 192.168.57.1
  routers:
    - name: tor
      interfaces:
        - { segment: rack-a, ip: 192.168.56.1 }
        - { segment: rack-b, ip: 192.168.57.1 }
  nodes:
    - { name: node-1, segment: rack-a }
    - { name: node-2, segment: rack-b }
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
status:
  addresses:
    - { type: InternalIP, address: 192.168.56.11 }
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
status:
  addresses:
    - { type: InternalIP, address: 192.168.57.12 }
`;

function webPod(name: string, node: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: web
spec:
  nodeName: ${node}
  containers:
    - name: nginx
      image: nginx:1.27
      ports:
        - containerPort: 80
`;
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`;

function cluster(backend: Backend, header: string, underlay = NODES): string {
  return [
    `${header}${flannelConfigMap(backend)}`,
    underlay,
    CLIENT_POD,
    webPod('web-a', 'node-1'),
    webPod('web-b', 'node-2'),
    SERVICE,
  ].join('---\n');
}

const CROSS_NODE = {
  kind: 'flow',
  flow: {
    from: { kind: 'pod', namespace: 'default', name: 'client' },
    to: { kind: 'pod', namespace: 'default', name: 'web-b' },
    proto: 'tcp',
    port: 80,
  },
} as const;

function preset(id: string, titleKey: string, text: string): Preset {
  return { id, titleKey, files: [{ name: `${id}.yaml`, text }], defaultFlow: CROSS_NODE };
}

export const flannelClusterVxlan = preset(
  'flannel-cluster-vxlan',
  'scenario.flannelClusterVxlan',
  cluster(
    'vxlan',
    `# flannel's default backend (seed 000 §4.3): each node has flannel.1, a VTEP (VNI 1, UDP 8472).
# client (node-1) -> web-b (node-2): routed into flannel.1, wrapped in UDP to node-2's eth0 (+50 bytes).
`,
  ),
);

export const flannelClusterHostGw = preset(
  'flannel-cluster-host-gw',
  'scenario.flannelClusterHostGw',
  cluster(
    'host-gw',
    `# flannel host-gw (seed 000 §4.4): "ip route add 10.244.1.0/24 via 192.168.56.12 dev eth0" on node-1.
# No tunnel: the pod's packet is routed to the other node as it is.
`,
  ),
);

export const flannelClusterUdp = preset(
  'flannel-cluster-udp',
  'scenario.flannelClusterUdp',
  cluster(
    'udp',
    `# flannel UDP (seed 000 §4.2): flannel0 is a TUN device read by flanneld, which wraps each IP
# packet in UDP to port 8285 on the other node. Count the kernel <-> user crossings.
`,
  ),
);

export const flannelHostGwTwoSubnets = preset(
  'flannel-host-gw-two-subnets',
  'scenario.flannelHostGwTwoSubnets',
  cluster(
    'host-gw',
    `# host-gw needs the nodes on one L2 segment. Here a router joins two subnets: flanneld on
# node-1 cannot add "10.244.1.0/24 via 192.168.57.12 dev eth0" (the gateway is not on-link),
# so the packet follows the default route to the router, which has no route to the pods.
`,
    TWO_SUBNETS,
  ),
);

export const flannelVxlanTwoSubnets = preset(
  'flannel-vxlan-two-subnets',
  'scenario.flannelVxlanTwoSubnets',
  cluster(
    'vxlan',
    `# The same two subnets with the VXLAN backend: the outer UDP packet is routed by the router
# like any other, so pods reach each other across subnets.
`,
    TWO_SUBNETS,
  ),
);
