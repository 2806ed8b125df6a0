import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dump, formatTraceText, topologyOf, trace, traffic, type FlowSpec } from '../../engine';
import { expectGolden } from '../../engine/sim/testing/golden';
import { PRESETS } from '../index';
import { simulate } from '../simulate';

// Seed 003: a cloud load balancer in front of the NodePorts (docs/LOAD-BALANCERS.md).

const here = path.dirname(fileURLToPath(import.meta.url));
const preset = PRESETS.find((p) => p.id === 'cloud-loadbalancer')!;
const sim = () => simulate(preset.files);
const FLOW: FlowSpec = {
  from: { kind: 'ext', name: 'laptop' },
  to: { kind: 'svc', namespace: 'default', name: 'web-lb', port: 80 },
  proto: 'tcp',
  port: 80,
};
const text = (r: { text: string } | { error: string }) => ('text' in r ? r.text : r.error);
const YAML = preset.files[0]!.text;

describe('cloud-loadbalancer (seed 003): outside → LB → NodePort → Service → pod', () => {
  it('simulates without diagnostics; the balancer owns the first address of its pool', () => {
    const s = sim();
    expect(s.diagnostics).toEqual([]);
    expect(s.model!.services!.find((x) => x.name === 'web-lb')!.loadBalancerIPs).toEqual([
      '192.168.56.241',
    ]);
  });

  it('the request is DNATed and SNATed on the balancer, kube-proxy does the rest; the reply comes back through it', () => {
    const s = sim();
    const t = trace(s.world!, FLOW, 1);
    expect(t.outcome).toBe('delivered');
    const onLb = t.events.filter((e) => e.ns === 'cloud-lb');
    const nats = onLb.filter((e) => e.kind === 'nat').map((e) => `${e.dir} ${e.type}`);
    expect(nats).toEqual(['request DNAT', 'request SNAT', 'reply de-SNAT', 'reply de-DNAT']);
    // The node (and the pod, behind kube-proxy's masquerade) never sees the laptop.
    expect(t.events.some((e) => e.ns === 'node-2' && e.packet?.ip.src === '192.168.56.100')).toBe(
      false,
    );
    const last = t.events.at(-1)!;
    expect(last).toMatchObject({ kind: 'deliver', ns: 'laptop', src: '192.168.56.241:80' });
    expectGolden(here, 'cloud-loadbalancer.trace.txt', formatTraceText(t));
    const lb = ['iptables-save', 'conntrack', 'addrs', 'routes', 'links'] as const;
    expectGolden(
      here,
      'cloud-loadbalancer.cloud-lb.dump.txt',
      lb.map((w) => `## ${w}\n${text(dump(s.world!, 'cloud-lb', w))}`).join('\n'),
    );
  });

  it('spreads connections over both nodes (each about half)', () => {
    const r = traffic(sim().world!, FLOW, { connections: 200, seed: 7 });
    const byNode = new Map<string, number>();
    for (const c of r.connections) byNode.set(c.backend, (byNode.get(c.backend) ?? 0) + 1);
    expect(r.connections.every((c) => c.outcome === 'delivered')).toBe(true);
    // The first DNAT of each connection is the balancer's: NODE:NODEPORT.
    expect([...byNode.keys()].sort()).toEqual(['192.168.56.11:30080', '192.168.56.12:30080']);
    for (const n of byNode.values()) expect(n).toBeGreaterThan(70);
  });

  it('is drawn as a host of kind loadbalancer, labelled with what it balances', () => {
    const v = topologyOf(sim().world!).nodes.find((n) => n.name === 'cloud-lb')!;
    expect(v.kind).toBe('loadbalancer');
    expect(v.balances).toEqual([
      {
        service: 'default/web-lb',
        vip: '192.168.56.241',
        port: 80,
        protocol: 'TCP',
        nodePort: 30080,
        targets: ['node-1', 'node-2'],
      },
    ]);
  });

  it('externalTrafficPolicy Local: only nodes passing the health check are targets, and the client IP is still lost at the balancer', () => {
    const local = YAML.replace(
      '  type: LoadBalancer\n',
      '  type: LoadBalancer\n  externalTrafficPolicy: Local\n',
    ).replace('replicas: 3', 'replicas: 1');
    const s = simulate([{ name: 'l.yaml', text: local }]);
    expect(s.diagnostics).toEqual([]);
    const v = topologyOf(s.world!).nodes.find((n) => n.name === 'cloud-lb')!;
    const pod = s.model!.pods.find((p) => p.name.startsWith('web-'))!;
    expect(v.balances![0]!.targets).toEqual([pod.node]);
    const t = trace(s.world!, FLOW, 3);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.src.startsWith('192.168.56.2:')).toBe(true);
  });

  it('no ready endpoint anywhere: the balancer refuses with a TCP reset', () => {
    const none = YAML.replace('replicas: 3', 'replicas: 0').replace(
      '  type: LoadBalancer\n',
      '  type: LoadBalancer\n  externalTrafficPolicy: Local\n',
    );
    const s = simulate([{ name: 'n.yaml', text: none }]);
    const t = trace(s.world!, FLOW, 1);
    expect(t.outcome).toBe('rejected');
    expect(t.events.find((e) => e.kind === 'netfilter' && e.verdict === 'REJECT')).toMatchObject({
      ns: 'cloud-lb',
      chain: 'INPUT',
    });
  });

  it('without a pool or a status the Service stays pending (PW2048); MetalLB objects are not used (PW2047)', () => {
    const noPool = YAML.replace('      pool: 192.168.56.240/28\n', '');
    const d = simulate([{ name: 'p.yaml', text: noPool }]).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['PW2048']);
    expect(d[0]!.message).toMatch(/EXTERNAL-IP stays <pending>/);
    const both = `${YAML}---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: metallb-system}
spec:
  addresses: [192.168.56.200-192.168.56.210]
`;
    const s = simulate([{ name: 'b.yaml', text: both }]);
    expect(s.diagnostics.map((x) => x.code)).toEqual(['PW2047']);
    expect(s.model!.services!.find((x) => x.name === 'web-lb')!.loadBalancerIPs).toEqual([
      '192.168.56.241',
    ]);
  });

  it('checks the Underlay entry: its address inside its segment, the pool a CIDR', () => {
    const bad = YAML.replace('ip: 192.168.56.2\n', 'ip: 10.1.2.3\n').replace(
      'pool: 192.168.56.240/28',
      'pool: 192.168.56.241/28',
    );
    const d = simulate([{ name: 'bad.yaml', text: bad }]).diagnostics;
    const line = (needle: string) => bad.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(d.map((x) => `${x.line}: ${x.code}`)).toEqual([
      `${line('ip: 10.1.2.3')}: PW1040`,
      `${line('pool: 192.168.56.241/28')}: PW1012`,
    ]);
  });

  it('a VIP off the segment is routed to the balancer by clients on its segment', () => {
    const off = YAML.replace('pool: 192.168.56.240/28', 'pool: 203.0.113.0/29');
    const s = simulate([{ name: 'o.yaml', text: off }]);
    expect(text(dump(s.world!, 'laptop', 'routes'))).toContain(
      '203.0.113.1 via 192.168.56.2 dev eth0 proto static',
    );
    expect(trace(s.world!, FLOW, 1).outcome).toBe('delivered');
  });
});
