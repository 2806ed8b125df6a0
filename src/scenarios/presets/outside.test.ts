import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTraceText, suggestFlows, trace, type FlowSpec, type Trace } from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';

const here = path.dirname(fileURLToPath(import.meta.url));

const golden = (name: string, text: string) => expectGolden(here, name, text);

const ROUTED = `apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata:
  name: lab
spec:
  segments:
    - name: rack-a
      cidr: 192.168.56.0/24
      gateway: 192.168.56.1
    - name: office
      cidr: 192.168.60.0/24
      gateway: 192.168.60.1
  routers:
    - name: tor
      interfaces:
        - { segment: rack-a, ip: 192.168.56.1 }
        - { segment: office, ip: 192.168.60.1 }
  clients:
    - name: desk
      segment: office
      ip: 192.168.60.50
  nodes:
    - name: node-1
      segment: rack-a
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
    - name: web
      image: nginx
      ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
    - port: 80
      nodePort: 30080
`;

const sim = (id: string) => simulate(PRESETS.find((p) => p.id === id)!.files);
const flow = (from: FlowSpec['from'], ip: string, port: number): FlowSpec => ({
  from,
  to: { kind: 'ip', ip, port },
  proto: 'tcp',
  port,
});
const laptop = { kind: 'ext', name: 'laptop' } as const;
const nat = (t: Trace, type: string) => t.events.filter((e) => e.kind === 'nat' && e.type === type);
const dropAt = (t: Trace) =>
  t.events.find((e) => e.kind === 'netfilter' && e.verdict === 'DROP') as
    { table: string; chain: string; node: string } | undefined;

describe('outside clients (seed 004): the client IP and externalTrafficPolicy', () => {
  it.each([
    ['webapp1-nodeport', 30080],
    ['hello-world-nodeport', 30036],
  ] as const)(
    '%s: an outside address to NodePort %i is masqueraded: the pod sees the node, not the client',
    (id, port) => {
      const s = sim(id);
      const t = trace(
        s.world!,
        flow({ kind: 'ip', ip: '192.168.56.100' }, '192.168.56.11', port),
        2,
      );
      expect(t.outcome).toBe('delivered');
      expect(t.delivered!.src.startsWith('10.244.0.1:')).toBe(true);
      expect(nat(t, 'MASQUERADE')).toHaveLength(1);
      // The reply is un-NATed back to the client, which sees the NodePort answering.
      const last = t.events.at(-1)!;
      expect(last).toMatchObject({ kind: 'deliver', ns: 'client-192.168.56.100' });
      golden(`${id}.outside.trace.txt`, formatTraceText(t) + '\n');
    },
  );

  it('NodePort 30080 on node-1 to the endpoint on node-2: masqueraded to flannel.1, across VXLAN', () => {
    const s = sim('webapp1-nodeport');
    const t = trace(
      s.world!,
      flow({ kind: 'ip', ip: '192.168.56.100' }, '192.168.56.11', 30080),
      1,
    );
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.ns).toMatch(/^default\/webapp1-nodeport-deployment-/);
    // flannel.1 holds 10.244.0.0/32 on node-1: the address MASQUERADE picks towards node-2's pods.
    expect(t.delivered!.src).toMatch(/^10\.244\.0\.0:/);
    expect(t.events.some((e) => e.kind === 'encap' && e.tunnel === 'vxlan')).toBe(true);
    golden('webapp1-nodeport.outside-cross-node.trace.txt', formatTraceText(t) + '\n');
  });

  it('a LoadBalancer IP is answered by the announcing node; source ranges let the laptop in', () => {
    const s = sim('loadbalancer-outside');
    const t = trace(s.world!, flow(laptop, '192.168.56.240', 80), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.events.find((e) => e.kind === 'arp')).toMatchObject({ ip: '192.168.56.240' });
    expect(
      t.events.some(
        (e) => e.kind === 'netfilter' && e.chain.startsWith('KUBE-FW-') && e.matched !== false,
      ),
    ).toBe(true);
    expect(t.delivered!.src.startsWith('10.244.0.1:')).toBe(true);
    golden('loadbalancer-outside.lb.trace.txt', formatTraceText(t) + '\n');
  });

  it('MetalLB gives the addresses: the first of the pool, the annotated one; node-1 is elected for both', () => {
    const s = sim('loadbalancer-outside');
    expect(s.diagnostics).toEqual([]);
    expect(s.model!.loadBalancing).toEqual({
      provider: 'metallb',
      announcements: [
        {
          service: 'default/web-lb',
          ip: '192.168.56.240',
          pool: 'lab-pool',
          mode: 'l2',
          node: 'node-1',
        },
        {
          service: 'default/web-local',
          ip: '192.168.56.241',
          pool: 'lab-pool',
          mode: 'l2',
          node: 'node-1',
        },
      ],
    });
  });

  it('loadBalancerSourceRanges: another source is dropped by KUBE-PROXY-FIREWALL', () => {
    const s = sim('loadbalancer-outside');
    const t = trace(s.world!, flow({ kind: 'ext', name: 'intruder' }, '192.168.56.240', 80), 1);
    expect(t.outcome).toBe('dropped');
    expect(dropAt(t)).toMatchObject({ table: 'filter', chain: 'KUBE-PROXY-FIREWALL' });
    golden('loadbalancer-outside.blocked.trace.txt', formatTraceText(t) + '\n');
  });

  it('Local policy: the client IP reaches the pod unchanged', () => {
    const s = sim('loadbalancer-outside');
    for (const [ip, port] of [
      ['192.168.56.241', 80],
      ['192.168.56.11', 30081],
    ] as const) {
      const t = trace(s.world!, flow(laptop, ip, port), 1);
      expect(t.outcome).toBe('delivered');
      expect(t.delivered!.src.startsWith('192.168.56.100:')).toBe(true);
      expect(nat(t, 'MASQUERADE')).toHaveLength(0);
    }
    const t = trace(sim('loadbalancer-outside').world!, flow(laptop, '192.168.56.11', 30081), 1);
    golden('loadbalancer-outside.local.trace.txt', formatTraceText(t) + '\n');
  });

  it('Local policy: a node without a local endpoint drops it', () => {
    const s = sim('loadbalancer-outside');
    const t = trace(s.world!, flow(laptop, '192.168.56.12', 30081), 1);
    expect(t.outcome).toBe('dropped');
    expect(dropAt(t)).toMatchObject({ node: 'node-2', chain: 'KUBE-EXTERNAL-SERVICES' });
  });

  it('an externalIP routed to node-1 is DNATed and masqueraded', () => {
    const s = sim('loadbalancer-outside');
    const t = trace(s.world!, flow(laptop, '203.0.113.10', 8080), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.dst).toBe('10.244.0.2:80');
    expect(t.delivered!.src.startsWith('10.244.0.1:')).toBe(true);
    golden('loadbalancer-outside.external-ip.trace.txt', formatTraceText(t) + '\n');
  });

  it('suggests outside flows for NodePorts, LoadBalancer IPs and externalIPs', () => {
    const s = sim('loadbalancer-outside');
    const labels = suggestFlows(s.model!).map((f) => f.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'ext:laptop → ip:192.168.56.240:80 tcp',
        'ext:laptop → ip:192.168.56.12:30081 tcp',
        'ext:laptop → ip:203.0.113.10:8080 tcp',
      ]),
    );
    const w = suggestFlows(sim('webapp1-nodeport').model!).map((f) => f.label);
    expect(w).toContain('ip:192.168.56.100 → ip:192.168.56.11:30080 tcp');
  });

  it('a client on another segment reaches the NodePort through the Underlay router', () => {
    const s = simulate([{ name: 'routed.yaml', text: ROUTED }]);
    for (const from of [
      { kind: 'ext', name: 'desk' } as const,
      { kind: 'ip', ip: '192.168.60.77' } as const,
    ]) {
      const t = trace(s.world!, flow(from, '192.168.56.11', 30080), 1);
      expect(t.outcome).toBe('delivered');
      expect(t.events.some((e) => e.ns === 'tor' && e.kind === 'route')).toBe(true);
    }
  });

  it('an unknown outside client is an error naming the declared ones', () => {
    const s = sim('loadbalancer-outside');
    expect(() =>
      trace(s.world!, flow({ kind: 'ext', name: 'nobody' }, '192.168.56.11', 30080), 1),
    ).toThrow(/clients: laptop, intruder/);
  });
});
