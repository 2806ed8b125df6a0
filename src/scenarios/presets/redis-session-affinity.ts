import type { Preset } from '../preset';
import { CLIENT_POD, TWO_NODES } from './nodes';

// Seed 002: redis behind a plain ClusterIP and behind redis-sa with sessionAffinity ClientIP
// (the recent module remembers each client for 10800 s). The seed's Deployment is
// apps/v1beta1 without a selector; apps/v1 needs one.
const YAML = `# redis and redis-sa (seed 002): the same two pods, with and without ClientIP affinity.
${TWO_NODES}---
${CLIENT_POD}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
spec:
  replicas: 2
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
        - name: redis
          image: redis:7.4
          ports:
            - containerPort: 6379
              name: redis
---
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  ports:
    - port: 6379
  selector:
    app: redis
---
apiVersion: v1
kind: Service
metadata:
  name: redis-sa
spec:
  sessionAffinity: ClientIP
  ports:
    - port: 6379
  selector:
    app: redis
`;

export const redisSessionAffinity: Preset = {
  id: 'redis-session-affinity',
  titleKey: 'scenario.redisSessionAffinity',
  files: [{ name: 'redis.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'pod', namespace: 'default', name: 'client' },
      to: { kind: 'svc', namespace: 'default', name: 'redis-sa', port: 6379 },
      proto: 'tcp',
      port: 6379,
    },
  },
};
