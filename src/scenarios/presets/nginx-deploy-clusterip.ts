import type { Preset } from '../preset';
import { CLIENT_POD, TWO_NODES } from './nodes';

// Seed 000 §5.1/§5.4.2: `kubectl expose deployment nginx-deploy --port=8080 --target-port=80`
// on a Deployment of three nginx pods; the ClusterIP is the one the seed's listing shows.
const YAML = `# nginx-deploy: three endpoints behind one ClusterIP (seed 000, §5.4.2).
# kube-proxy sends each new connection to one of them: statistic 1/3, then 1/2, then the rest.
${TWO_NODES}---
${CLIENT_POD}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deploy
  labels:
    app: nginx-deploy
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx-deploy
  template:
    metadata:
      labels:
        app: nginx-deploy
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
  name: nginx-deploy
  labels:
    app: nginx-deploy
spec:
  clusterIP: 10.98.254.54
  selector:
    app: nginx-deploy
  ports:
    - port: 8080
      protocol: TCP
      targetPort: 80
`;

export const nginxDeployClusterIP: Preset = {
  id: 'nginx-deploy-clusterip',
  titleKey: 'scenario.nginxDeployClusterIP',
  files: [{ name: 'nginx-deploy.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'pod', namespace: 'default', name: 'client' },
      to: { kind: 'svc', namespace: 'default', name: 'nginx-deploy', port: 8080 },
      proto: 'tcp',
      port: 8080,
    },
  },
};
