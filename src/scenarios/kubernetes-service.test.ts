import { describe, expect, it } from 'vitest';
import { dump, kubeProxyRules, trace } from '../engine';
import { parseManifests } from '../manifests';
import { simulate } from './simulate';

const NODES = `apiVersion: v1
kind: Node
metadata:
  name: worker-1
---
apiVersion: v1
kind: Node
metadata:
  name: cp-1
  labels:
    node-role.kubernetes.io/control-plane: ""
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  nodeName: cp-1
  containers:
    - name: curl
      image: curlimages/curl:8.10.1
`;
const KUBEADM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubeadm-config
  namespace: kube-system
data:
  ClusterConfiguration: |
    apiVersion: kubeadm.k8s.io/v1beta3
    kind: ClusterConfiguration
`;
const sim = (...texts: string[]) =>
  simulate(texts.map((text, i) => ({ name: `f${i}.yaml`, text })));
const toApi = {
  from: { kind: 'pod', namespace: 'default', name: 'client' },
  to: { kind: 'svc', namespace: 'default', name: 'kubernetes', port: 443 },
  proto: 'tcp',
  port: 443,
} as const;

describe('the kubernetes Service', () => {
  it('is not there by default: a small scenario carries no rules for it', () => {
    const s = sim(NODES);
    expect(s.model!.services!.map((x) => x.name)).not.toContain('kubernetes');
    expect(kubeProxyRules(s.model!, 'cp-1')).not.toContain('default/kubernetes');
  });

  it('a kubeadm cluster (kube-system/kubeadm-config) has it: .1 of the service CIDR, 443 → the control plane on 6443', () => {
    const s = sim(NODES, KUBEADM);
    expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const svc = s.model!.services!.find((x) => x.name === 'kubernetes')!;
    expect(svc).toMatchObject({ clusterIP: '10.96.0.1', selector: null, type: 'ClusterIP' });
    const rules = kubeProxyRules(s.model!, 'worker-1')!;
    // The chain name every kubeadm cluster has.
    expect(rules).toContain(
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y',
    );
    const cp = s.model!.nodes.find((n) => n.name === 'cp-1')!.internalIP;
    expect(rules).toContain(`--comment "default/kubernetes:https -> ${cp}:6443"`);
    const t = trace(s.world!, toApi, 1);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toMatchObject({ ns: 'cp-1', dst: `${cp}:6443` });
  });

  it('declared as a dump prints it, the declared EndpointSlice wins', () => {
    const declared = `apiVersion: v1
kind: Service
metadata:
  name: kubernetes
  namespace: default
spec:
  clusterIP: 10.96.0.1
  ports:
    - name: https
      port: 443
      protocol: TCP
      targetPort: 6443
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kubernetes
  namespace: default
  labels:
    kubernetes.io/service-name: kubernetes
addressType: IPv4
endpoints:
  - addresses: [192.168.56.250]
ports:
  - name: https
    port: 6443
    protocol: TCP
`;
    const s = sim(NODES, declared);
    const rules = kubeProxyRules(s.model!, 'cp-1')!;
    expect(rules).toContain('--comment "default/kubernetes:https -> 192.168.56.250:6443"');
    expect(rules.split('\n').filter((l) => l.includes('-> ')).length).toBe(1);
  });

  it('the apiserver listens on the control-plane node only', () => {
    const s = sim(NODES, KUBEADM);
    const out = dump(s.world!, 'cp-1', 'addrs');
    expect('text' in out).toBe(true);
    const worker = s.model!.nodes.find((n) => n.name === 'worker-1')!.internalIP;
    const t = trace(
      s.world!,
      { ...toApi, to: { kind: 'ip', ip: worker, port: 6443 }, port: 6443 },
      1,
    );
    expect(t.outcome).toBe('refused');
  });
});

describe('kind: List (kubectl get -o yaml)', () => {
  it('gives each item its own line, and errors inside an item point into it', () => {
    const text = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: a
    spec:
      containers: [{name: c, image: nginx}]
  - apiVersion: v1
    kind: Service
    metadata:
      name: s
    spec:
      ports:
        - port: 99999
`;
    const { objects, diagnostics } = parseManifests([{ name: 'list.yaml', text }]);
    expect(objects.map((o) => [o.kind, o.meta.source.line])).toEqual([
      ['Pod', 7],
      ['Service', 13],
    ]);
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).sort()).toEqual([
      '17:7 items[1].spec.ports: Required value',
      '18:17 items[1].spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive',
    ]);
  });
});
