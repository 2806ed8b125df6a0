import type { Preset } from '../preset';
import { CLIENT_POD, TWO_NODES } from './nodes';

// Seed 000 §5.2.2: port 8080 in the cluster, targetPort 80 in the pod, nodePort 30036 outside.
const YAML = `# hello-world (seed 000, §5.2.2): three ports — port, targetPort, nodePort.
${TWO_NODES}---
${CLIENT_POD}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-world
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hello-world
  template:
    metadata:
      labels:
        app: hello-world
    spec:
      containers:
        - name: hello
          image: nginxdemos/hello:plain-text
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: hello-world
spec:
  type: NodePort
  selector:
    app: hello-world
  ports:
    - protocol: TCP
      port: 8080
      targetPort: 80
      nodePort: 30036
`;

export const helloWorldNodePort: Preset = {
  id: 'hello-world-nodeport',
  titleKey: 'scenario.helloWorldNodePort',
  files: [{ name: 'hello-world.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'pod', namespace: 'default', name: 'client' },
      to: { kind: 'svc', namespace: 'default', name: 'hello-world', port: 8080 },
      proto: 'tcp',
      port: 8080,
    },
  },
};
