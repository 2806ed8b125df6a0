import type { Preset } from '../preset';

// Deliberately nothing but a Deployment: the node, its addresses, the pod CIDR and the
// CNI all come from the documented defaults (docs/DEFAULTS.md).
const YAML = `# Two nginx pods on one node. Everything else is a default:
# node-1 at 192.168.56.11, pods from 10.244.0.0/24 on the cni0 bridge,
# br_netfilter on (see docs/DEFAULTS.md). Try replicas: 3.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 80
`;

export const twoPodsOneNode: Preset = {
  id: 'two-pods-one-node',
  titleKey: 'scenario.twoPodsOneNode',
  files: [{ name: 'cluster.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
