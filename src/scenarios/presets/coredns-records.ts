import type { Preset } from '../preset';
import { CLIENT_POD, TWO_NODES } from './nodes';

// Seed 000 on CoreDNS: a Service's A record is its ClusterIP, a headless Service's one A per
// ready endpoint, a named port an SRV record, an ExternalName a CNAME. Declaring the coredns
// ConfigMap (kubeadm's Corefile) turns the cluster DNS on: kube-dns 10.96.0.10 and two CoreDNS
// pods are added as kubeadm would (docs/DNS.md).
const YAML = `# coredns-records (seed 000, CoreDNS): every kind of record the cluster DNS serves.
${TWO_NODES}---
${CLIENT_POD}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: web-headless
spec:
  clusterIP: None
  selector:
    app: web
  ports:
    - name: http
      port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: db.example.com
`;

export const corednsRecords: Preset = {
  id: 'coredns-records',
  titleKey: 'scenario.corednsRecords',
  files: [{ name: 'coredns-records.yaml', text: YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: { kind: 'pod', namespace: 'default', name: 'client' },
      to: { kind: 'dns', name: 'web' },
      proto: 'udp',
      port: 53,
    },
  },
};
