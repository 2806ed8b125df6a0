import type { Preset } from '../preset';
import { CLIENT_POD } from './nodes';

// Seed 000 §5.1 / 001: a Service without a selector and Endpoints written by hand, pointing at
// an Elasticsearch cluster outside Kubernetes. The service port and the Endpoints port are
// both unnamed, so they match; name one of them and kube-proxy finds no endpoints (PW2019).
const YAML = `# elasticsearch (seed 000, §5.1): a selector-less Service and hand-written Endpoints.
${CLIENT_POD.replace('  nodeName: node-1\n', '')}---
apiVersion: v1
kind: Service
metadata:
  name: elasticsearch
  namespace: default
spec:
  ports:
    - port: 9200
      protocol: TCP
      targetPort: 9200
---
apiVersion: v1
kind: Endpoints
metadata:
  name: elasticsearch
  namespace: default
subsets:
  - addresses:
      - ip: 192.168.24.14
      - ip: 192.168.24.15
      - ip: 192.168.24.16
    ports:
      - port: 9200
`;

export const elasticsearchManualEndpoints: Preset = {
  id: 'elasticsearch-manual-endpoints',
  titleKey: 'scenario.elasticsearchManualEndpoints',
  files: [{ name: 'elasticsearch.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'pod', namespace: 'default', name: 'client' },
      to: { kind: 'svc', namespace: 'default', name: 'elasticsearch', port: 9200 },
      proto: 'tcp',
      port: 9200,
    },
  },
};
