import type { Preset } from '../preset';
import { CLIENT_POD } from './nodes';

interface Options {
  ipipMode?: string;
  vxlanMode?: string;
  mesh?: boolean;
  /** The three nodes on two subnets (node-3 on the second), joined by a router. */
  twoSubnets?: boolean;
  /** node-3 is a route reflector; every node peers with it only. */
  reflector?: boolean;
}

function pool(o: Options): string {
  return `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: default-ipv4-ippool
spec:
  cidr: 10.244.0.0/16
  blockSize: 26
  ipipMode: ${o.ipipMode ?? 'Never'}
  vxlanMode: ${o.vxlanMode ?? 'Never'}
  natOutgoing: true
  nodeSelector: all()
`;
}

function bgp(o: Options): string {
  if (o.mesh !== false) return '';
  return `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: false
  asNumber: 64512
---
apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
---
`;
}

const UNDERLAY = `apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata:
  name: two-racks
spec:
  segments:
    - { name: rack-a, cidr: 192.168.56.0/24, gateway: 192.168.56.1 }
    - { name: rack-b, cidr: 192.168.57.0/24, gateway: 192.168.57.1 }
  routers:
    - name: tor
      interfaces:
        - { segment: rack-a, ip: 192.168.56.1 }
        - { segment: rack-b, ip: 192.168.57.1 }
  nodes:
    - { name: node-1, segment: rack-a }
    - { name: node-2, segment: rack-a }
    - { name: node-3, segment: rack-b }
---
`;

function node(i: number, o: Options): string {
  const ip = o.twoSubnets && i === 3 ? `192.168.57.${10 + i}` : `192.168.56.${10 + i}`;
  const rr =
    o.reflector && i === 3
      ? `  labels:
    route-reflector: "true"
  annotations:
    projectcalico.org/RouteReflectorClusterID: 244.0.0.1
`
      : '';
  return `apiVersion: v1
kind: Node
metadata:
  name: node-${i}
${rr}status:
  addresses:
    - { type: InternalIP, address: ${ip} }
---
`;
}

function webPod(name: string, nodeName: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: web
spec:
  nodeName: ${nodeName}
  containers:
    - name: nginx
      image: nginx:1.27
      ports:
        - containerPort: 80
`;
}

function text(header: string, o: Options): string {
  return [
    `${header}${pool(o)}`,
    `${bgp(o)}${o.twoSubnets ? UNDERLAY : ''}${[1, 2, 3].map((i) => node(i, o)).join('')}${CLIENT_POD}`,
    webPod('web-a', 'node-1'),
    webPod('web-b', 'node-2'),
    webPod('web-c', 'node-3'),
    `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`,
  ].join('---\n');
}

function preset(id: string, titleKey: string, body: string, to = 'web-b'): Preset {
  return {
    id,
    titleKey,
    files: [{ name: `${id}.yaml`, text: body }],
    defaultFlow: {
      kind: 'flow',
      flow: {
        from: { kind: 'pod', namespace: 'default', name: 'client' },
        to: { kind: 'pod', namespace: 'default', name: to },
        proto: 'tcp',
        port: 80,
      },
    },
  };
}

export const calicoBgp = preset(
  'calico-bgp',
  'scenario.calicoBgp',
  text(
    `# Calico without encapsulation (seed 000 §4.5): no bridge, a cali veth and a /32 route per pod,
# proxy ARP for 169.254.1.1, and BIRD on every node (full mesh) learning the others' /26 blocks.
`,
    {},
  ),
);

export const calicoIpip = preset(
  'calico-ipip',
  'scenario.calicoIpip',
  text(
    `# Calico IPIP: routes learned over BGP point into tunl0 (onlink); the packet gets one more IP
# header (protocol 4, +20 bytes) addressed to the other node.
`,
    { ipipMode: 'Always' },
  ),
);

export const calicoVxlan = preset(
  'calico-vxlan',
  'scenario.calicoVxlan',
  text(
    `# Calico VXLAN: Felix (not BIRD) programs a route per block via vxlan.calico (VNI 4096, UDP 4789),
# with a permanent neighbour and FDB entry for the other node's VTEP.
`,
    { vxlanMode: 'Always' },
  ),
);

export const calicoIpipCrossSubnet = preset(
  'calico-ipip-cross-subnet',
  'scenario.calicoIpipCrossSubnet',
  text(
    `# ipipMode CrossSubnet: node-1 and node-2 share rack-a and route directly; node-3 is on rack-b,
# behind a router, so traffic to its block is encapsulated in IPIP. Try client -> web-b as well.
`,
    { ipipMode: 'CrossSubnet', twoSubnets: true },
  ),
  'web-c',
);

export const calicoRouteReflector = preset(
  'calico-route-reflector',
  'scenario.calicoRouteReflector',
  text(
    `# No full mesh: node-3 is a route reflector (RouteReflectorClusterID), every node peers with it
# only (BGPPeer with peerSelector). node-1 learns node-2's block from node-3; see dump --what bgp.
`,
    { mesh: false, reflector: true },
  ),
);
