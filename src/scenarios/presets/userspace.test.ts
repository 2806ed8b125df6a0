import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dump, formatTraceText, kubeProxyRules, trace, type FlowSpec } from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';

const here = path.dirname(fileURLToPath(import.meta.url));

const golden = (name: string, text: string) => expectGolden(here, name, text);

const USERSPACE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    mode: userspace
`;

/** webapp1 (seed 003) on one node, so both endpoints are reachable before the CNI work lands. */
const WEBAPP1 = PRESETS.find((p) => p.id === 'webapp1-nodeport')!.files[0]!.text.replace(
  /---\napiVersion: v1\nkind: Node\nmetadata:\n {2}name: node-2\n/,
  '',
);

const sim = (text: string) =>
  simulate([
    { name: 'cluster.yaml', text },
    { name: 'kube-proxy.yaml', text: USERSPACE },
  ]);
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;
const toSvc = (name: string, port: number): FlowSpec => ({
  from: client,
  to: { kind: 'svc', namespace: 'default', name, port },
  proto: 'tcp',
  port,
});

describe('kube-proxy userspace mode (seed 003, historical)', () => {
  it('KUBE-PORTALS-CONTAINER REDIRECTs to kube-proxy, which opens a new connection: the endpoint sees the node', () => {
    const s = sim(WEBAPP1);
    expect(s.diagnostics.map((d) => d.code)).toContain('PW2041');
    const rules = dump(s.world!, 'node-1', 'iptables-save');
    expect('text' in rules && rules.text).toMatch(
      /-A KUBE-PORTALS-CONTAINER -d 10\.103\.188\.73\/32 -p tcp -m comment --comment "default\/webapp1-nodeport-svc" -m tcp --dport 80 -j REDIRECT --to-ports \d+/,
    );
    expect('text' in rules && rules.text).toMatch(
      /-A KUBE-PORTALS-HOST -d 10\.103\.188\.73\/32 -p tcp .* -j DNAT --to-destination 192\.168\.56\.11:\d+/,
    );
    golden('webapp1-nodeport.userspace.rules', kubeProxyRules(s.model!, 'node-1')!);
    const t = trace(s.world!, toSvc('webapp1-nodeport-svc', 80), 3);
    expect(t.outcome).toBe('delivered');
    expect(t.events.find((e) => e.kind === 'nat')).toMatchObject({ type: 'REDIRECT' });
    expect(t.events.some((e) => e.kind === 'deliver' && e.process === 'kube-proxy')).toBe(true);
    expect(t.events.filter((e) => e.kind === 'relay').length).toBe(2);
    // A new connection from the node's cni0 address, not the client pod's.
    expect(t.delivered!.src).toMatch(/^10\.244\.0\.1:/);
    expect(t.events.at(-1)).toMatchObject({
      kind: 'deliver',
      ns: 'default/client',
      src: '10.103.188.73:80',
    });
    golden('webapp1-nodeport.userspace.trace.txt', formatTraceText(t) + '\n');
  });

  it('round-robin: consecutive connections alternate between the endpoints', () => {
    const s = sim(WEBAPP1);
    const got = [1, 2, 3, 4].map(
      (i) => trace(s.world!, toSvc('webapp1-nodeport-svc', 80), i).delivered?.dst,
    );
    expect(got[0]).not.toBe(got[1]);
    expect(got[2]).toBe(got[0]);
    expect(got[3]).toBe(got[1]);
  });

  it('an endpoint that refuses: kube-proxy tries the next one', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers: [{name: c, image: curl}]
status:
  podIP: 10.244.0.2
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
      ports: [{containerPort: 80}]
status:
  podIP: 10.244.0.5
---
apiVersion: v1
kind: Pod
metadata:
  name: idle
spec:
  containers: [{name: idle, image: busybox}]
status:
  podIP: 10.244.0.4
---
apiVersion: v1
kind: Service
metadata:
  name: flaky
spec:
  ports:
    - port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: flaky-1
  labels:
    kubernetes.io/service-name: flaky
addressType: IPv4
endpoints:
  - addresses: [10.244.0.4]
  - addresses: [10.244.0.5]
ports:
  - port: 80
`;
    // Seed 000 §5.4: in iptables mode the connection DNATed to the refusing pod simply fails.
    const refused = [1, 2, 3, 4, 5, 6, 7, 8]
      .map((seed) =>
        trace(simulate([{ name: 'cluster.yaml', text }]).world!, toSvc('flaky', 80), seed),
      )
      .find((t) => t.events.some((e) => e.kind === 'nat' && e.after === '10.244.0.4:80'));
    expect(refused?.outcome).toBe('refused');
    const s = sim(text);
    expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const t = trace(s.world!, toSvc('flaky', 80), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.dst).toBe('10.244.0.5:80');
    const relays = t.events.flatMap((e) => (e.kind === 'relay' ? [e.detail] : []));
    expect(relays[0]).toMatch(/connects to endpoint 10\.244\.0\.4:80/);
    expect(relays[1]).toMatch(/10\.244\.0\.4:80 refused.*tries the next one/);
    expect(relays[2]).toMatch(/connects to endpoint 10\.244\.0\.5:80 \(round-robin retry\)/);
    // The RST from the idle pod walks back to the node.
    expect(
      t.events.some(
        (e) =>
          e.dir === 'reply' &&
          e.kind === 'send' &&
          e.process === 'kernel' &&
          e.ns === 'default/idle',
      ),
    ).toBe(true);
    expect(
      t.events.some((e) => e.kind === 'deliver' && e.ns === 'node-1' && e.dir === 'reply'),
    ).toBe(true);
  });
});
