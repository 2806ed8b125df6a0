import type { Preset } from '../preset';

// Seeds 001/003/004: the way in from outside. A laptop and a second machine on the nodes' LAN;
// one web pod on node-1; MetalLB in L2 mode (seed 001's IPAddressPool and L2Advertisement)
// gives a LoadBalancer an address on the LAN (source ranges let only the laptop in), the same
// pods sit behind a Local-policy LoadBalancer that asks for its address by annotation, and an
// externalIP the LAN's router sends to node-1.
const YAML = `# Outside clients (seeds 001, 003, 004): NodePort, LoadBalancer, externalIPs and the client IP.
# MetalLB hands out the LoadBalancer addresses from its pool; in L2 mode the node its
# speakers elect answers ARP for each of them.
apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata:
  name: lab
spec:
  segments:
    - name: lan
      cidr: 192.168.56.0/24
      gateway: 192.168.56.1
  clients:
    - name: laptop
      segment: lan
      ip: 192.168.56.100
    - name: intruder
      segment: lan
      ip: 192.168.56.200
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lab-pool
  namespace: metallb-system
spec:
  addresses:
    - 192.168.56.240-192.168.56.250
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: lab-l2
  namespace: metallb-system
spec:
  ipAddressPools:
    - lab-pool
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  nodeName: node-1
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 80
      nodePort: 30080
  loadBalancerSourceRanges:
    - 192.168.56.0/25
---
apiVersion: v1
kind: Service
metadata:
  name: web-local
  annotations:
    metallb.universe.tf/loadBalancerIPs: 192.168.56.241
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
    - port: 80
      nodePort: 30081
---
apiVersion: v1
kind: Service
metadata:
  name: web-ext
spec:
  selector:
    app: web
  ports:
    - port: 8080
      targetPort: 80
  externalIPs:
    - 203.0.113.10
`;

export const loadBalancerOutside: Preset = {
  id: 'loadbalancer-outside',
  titleKey: 'scenario.loadBalancerOutside',
  files: [{ name: 'outside.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'ext', name: 'laptop' },
      to: { kind: 'ip', ip: '192.168.56.240', port: 80 },
      proto: 'tcp',
      port: 80,
    },
  },
};
