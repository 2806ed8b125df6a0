import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTraceText, trace, type FlowSpec, type NatEvent, type Trace } from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';

const here = path.dirname(fileURLToPath(import.meta.url));

const golden = (name: string, text: string) => expectGolden(here, name, text);

const sim = (id: string) => simulate(PRESETS.find((p) => p.id === id)!.files);
const dnatTo = (t: Trace) =>
  t.events.find((e): e is NatEvent => e.kind === 'nat' && e.type === 'DNAT')?.after;
const pod = (name: string) => ({ kind: 'pod', namespace: 'default', name }) as const;
const svc = (name: string, port: number): FlowSpec => ({
  from: pod('client'),
  to: { kind: 'svc', namespace: 'default', name, port },
  proto: 'tcp',
  port,
});

/**
 * Seeds are picked so the chosen endpoint is on the client's node; the cross-node paths each
 * CNI mode takes have goldens of their own (cni.test.ts, calico.test.ts).
 */
describe('golden traces through kube-proxy rules', () => {
  it.each([
    ['nginx-deploy-clusterip', svc('nginx-deploy', 8080), 2],
    ['webapp1-nodeport', svc('webapp1-nodeport-svc', 80), 2],
    ['hello-world-nodeport', svc('hello-world', 8080), 2],
    ['redis-session-affinity', svc('redis-sa', 6379), 2],
  ] as const)('%s: pod -> ClusterIP, DNAT to an endpoint', (id, flow, seed) => {
    const s = sim(id);
    const t = trace(s.world!, flow, seed);
    expect(t.outcome).toBe('delivered');
    golden(`${id}.trace.txt`, formatTraceText(t) + '\n');
  });

  it.each([
    ['webapp1-nodeport', 30080],
    ['hello-world-nodeport', 30036],
  ] as const)('%s: the node to its own NodePort: marked, DNATed, masqueraded', (id, port) => {
    const s = sim(id);
    const flow: FlowSpec = {
      from: { kind: 'node', name: 'node-1' },
      to: { kind: 'ip', ip: '192.168.56.11', port },
      proto: 'tcp',
      port,
    };
    const t = trace(s.world!, flow, 2);
    expect(t.outcome).toBe('delivered');
    expect(t.events.some((e) => e.kind === 'nat' && e.type === 'MASQUERADE')).toBe(true);
    golden(`${id}.nodeport.trace.txt`, formatTraceText(t) + '\n');
  });

  it('ClientIP affinity: every later connection from the client reaches the first endpoint', () => {
    const s = sim('redis-session-affinity');
    const first = dnatTo(trace(s.world!, svc('redis-sa', 6379), 1));
    for (let seed = 2; seed <= 12; seed++)
      expect(dnatTo(trace(s.world!, svc('redis-sa', 6379), seed))).toBe(first);
    // Without affinity the same seeds spread over both endpoints.
    const plain = sim('redis-session-affinity');
    const seen = new Set(
      Array.from({ length: 12 }, (_, i) => dnatTo(trace(plain.world!, svc('redis', 6379), i + 1))),
    );
    expect(seen.size).toBe(2);
  });

  it('hairpin: a pod reaching itself through its Service is masqueraded', () => {
    const s = sim('nginx-deploy-clusterip');
    const self = s.model!.pods.find(
      (p) => p.owner === 'Deployment/nginx-deploy' && p.node === 'node-1',
    )!;
    const flow: FlowSpec = { ...svc('nginx-deploy', 8080), from: pod(self.name) };
    const seed = [...Array(40).keys()]
      .map((i) => i + 1)
      .find(
        (n) => dnatTo(trace(sim('nginx-deploy-clusterip').world!, flow, n)) === `${self.ip}:80`,
      )!;
    const t = trace(s.world!, flow, seed);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.src.startsWith('10.244.0.1:')).toBe(true);
    golden('nginx-deploy-clusterip.hairpin.trace.txt', formatTraceText(t) + '\n');
  });
});

describe('externalTrafficPolicy: Local', () => {
  // hello-world with its one pod pinned to node-2 and Local policy on the NodePort.
  const base = PRESETS.find((p) => p.id === 'hello-world-nodeport')!.files[0]!.text;
  const text = base
    .replace('  replicas: 2\n', '  replicas: 1\n')
    .replace(
      '    spec:\n      containers:\n        - name: hello',
      '    spec:\n      nodeName: node-2\n      containers:\n        - name: hello',
    )
    .replace('  type: NodePort\n', '  type: NodePort\n  externalTrafficPolicy: Local\n');
  const nodeTo = (from: string, ip: string): FlowSpec => ({
    from: { kind: 'node', name: from },
    to: { kind: 'ip', ip, port: 30036 },
    proto: 'tcp',
    port: 30036,
  });

  it('a node with the endpoint keeps the client address: no masquerade', () => {
    const s = simulate([{ name: 'hello.yaml', text }]);
    expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const t = trace(s.world!, nodeTo('node-1', '192.168.56.12'), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.src.startsWith('192.168.56.11:')).toBe(true);
    expect(t.events.some((e) => e.kind === 'nat' && e.type === 'MASQUERADE')).toBe(false);
    golden('hello-world-local.trace.txt', formatTraceText(t) + '\n');
  });

  it('a node without one drops outside traffic in KUBE-EXTERNAL-SERVICES', () => {
    const s = simulate([{ name: 'hello.yaml', text }]);
    const t = trace(s.world!, nodeTo('node-2', '192.168.56.11'), 1);
    expect(t.outcome).toBe('dropped');
    const drop = t.events.find((e) => e.kind === 'netfilter' && e.verdict === 'DROP');
    expect(drop).toMatchObject({ table: 'filter', chain: 'KUBE-EXTERNAL-SERVICES' });
  });
});
