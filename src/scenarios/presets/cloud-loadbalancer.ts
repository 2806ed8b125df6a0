import type { Preset } from '../preset';

// Seed 003 (§ LoadBalancer): "a four-layer load balancer in front of the NodePorts" — the
// cloud's load balancer spreads outside traffic over the NodePort of every node, and kube-proxy
// on the node takes it to one of the pods. Two nodes, three pods, a laptop on the LAN. The
// balancer is a host of its own with ordinary netfilter rules (docs/LOAD-BALANCERS.md): DNAT to
// NODE:NODEPORT spread by `statistic`, SNAT to its own address.
const YAML = `# A cloud load balancer in front of the NodePorts (seed 003).
# The Underlay's load balancer owns the Service's EXTERNAL-IP (taken from its pool, as a
# cloud controller fills in status.loadBalancer.ingress) and spreads connections over the
# nodes' NodePort 30080. It works in SNAT mode: the nodes see 192.168.56.2, not the laptop.
apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata:
  name: cloud
spec:
  segments:
    - name: lan
      cidr: 192.168.56.0/24
      gateway: 192.168.56.1
  loadBalancers:
    - name: cloud-lb
      segment: lan
      ip: 192.168.56.2
      pool: 192.168.56.240/28
  clients:
    - name: laptop
      segment: lan
      ip: 192.168.56.100
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
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
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
`;

export const cloudLoadBalancer: Preset = {
  id: 'cloud-loadbalancer',
  titleKey: 'scenario.cloudLoadBalancer',
  files: [{ name: 'cloud-lb.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'ext', name: 'laptop' },
      to: { kind: 'svc', namespace: 'default', name: 'web-lb', port: 80 },
      proto: 'tcp',
      port: 80,
    },
  },
};
