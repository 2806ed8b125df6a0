import type { Preset } from '../preset';
import { CLIENT_POD, TWO_NODES } from './nodes';

// Seed 000 §5.2.5: clusterIP None. The endpoints controller still lists the pods (DNS answers
// with them), but kube-proxy writes no rule: the client talks to a pod directly.
const YAML = `# nginx-headless (seed 000, §5.2.5): endpoints without a virtual IP.
${TWO_NODES}---
${CLIENT_POD}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: nginx-headless
spec:
  clusterIP: None
  ports:
    - port: 80
  selector:
    app: nginx
`;

export const nginxHeadless: Preset = {
  id: 'nginx-headless',
  titleKey: 'scenario.nginxHeadless',
  files: [{ name: 'nginx-headless.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
