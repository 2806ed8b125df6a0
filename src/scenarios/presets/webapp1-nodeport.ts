import type { Preset } from '../preset';
import { CLIENT_POD, TWO_NODES } from './nodes';

// Seed 003: webapp1-nodeport-svc, NodePort 30080 in front of two pods, ClusterIP as listed.
const YAML = `# webapp1-nodeport-svc (seed 003): port 80 inside the cluster, 30080 on every node.
${TWO_NODES}---
${CLIENT_POD}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: webapp1-nodeport-deployment
spec:
  replicas: 2
  selector:
    matchLabels:
      app: webapp1-nodeport
  template:
    metadata:
      labels:
        app: webapp1-nodeport
    spec:
      containers:
        - name: webapp1-nodeport-pod
          image: katacoda/docker-http-server:latest
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: webapp1-nodeport-svc
  labels:
    app: webapp1-nodeport
spec:
  type: NodePort
  clusterIP: 10.103.188.73
  ports:
    - port: 80
      nodePort: 30080
  selector:
    app: webapp1-nodeport
`;

export const webapp1NodePort: Preset = {
  id: 'webapp1-nodeport',
  titleKey: 'scenario.webapp1NodePort',
  files: [{ name: 'webapp1.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'pod', namespace: 'default', name: 'client' },
      to: { kind: 'svc', namespace: 'default', name: 'webapp1-nodeport-svc', port: 80 },
      proto: 'tcp',
      port: 80,
    },
  },
};
