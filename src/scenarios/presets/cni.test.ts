import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dump,
  formatTraceText,
  trace,
  type EncapEvent,
  type FlowSpec,
  type NatEvent,
  type Trace,
} from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';
import { nodesAndPods } from './testing/nodes-and-pods';

const here = path.dirname(fileURLToPath(import.meta.url));

const golden = (name: string, text: string) => expectGolden(here, name, text);

const sim = (id: string) => {
  const s = simulate(PRESETS.find((p) => p.id === id)!.files);
  expect(s.world).toBeDefined();
  return s;
};
const pod = (name: string) => ({ kind: 'pod', namespace: 'default', name }) as const;
const toPod = (name: string): FlowSpec => ({
  from: pod('client'),
  to: pod(name),
  proto: 'tcp',
  port: 80,
});
const toSvc: FlowSpec = {
  from: pod('client'),
  to: { kind: 'svc', namespace: 'default', name: 'web', port: 80 },
  proto: 'tcp',
  port: 80,
};
const dnatTo = (t: Trace) =>
  t.events.find((e): e is NatEvent => e.kind === 'nat' && e.type === 'DNAT')?.after;

/** The first seed whose connection kube-proxy sends to web-b, on the other node. */
function seedToRemote(id: string): number {
  const s = sim(id);
  const ip = s.model!.pods.find((p) => p.name === 'web-b')!.ip;
  for (let seed = 1; seed < 50; seed++)
    if (dnatTo(trace(s.world!, toSvc, seed))?.startsWith(`${ip}:`)) return seed;
  throw new Error('no seed reaches web-b');
}

const MODES = ['vxlan', 'host-gw', 'udp'] as const;

describe('flannel backends: golden traces and dumps', () => {
  it.each(MODES)('%s: pod to pod on the same node, across nodes, and to a Service', (mode) => {
    const id = `flannel-cluster-${mode}`;
    const same = trace(sim(id).world!, toPod('web-a'), 1);
    expect(same.outcome).toBe('delivered');
    golden(`${id}.same-node.trace.txt`, formatTraceText(same) + '\n');
    const across = trace(sim(id).world!, toPod('web-b'), 1);
    expect(across.outcome).toBe('delivered');
    golden(`${id}.cross-node.trace.txt`, formatTraceText(across) + '\n');
    const seed = seedToRemote(id);
    const svc = trace(sim(id).world!, toSvc, seed);
    expect(svc.outcome).toBe('delivered');
    golden(`${id}.service.trace.txt`, formatTraceText(svc) + '\n');
  });

  it.each(MODES)('%s: what ip and bridge print on every node after the cross-node flow', (mode) => {
    const id = `flannel-cluster-${mode}`;
    const s = sim(id);
    trace(s.world!, toPod('web-b'), 1);
    for (const node of s.model!.nodes.map((n) => n.name)) {
      const text = (['links', 'addrs', 'routes', 'neigh', 'fdb'] as const)
        .map((w) => {
          const d = dump(s.world!, node, w);
          return `# ${w}\n${'text' in d ? d.text : d.error}`;
        })
        .join('\n');
      golden(`${id}.${node}.dump.txt`, text + '\n');
    }
  });

  it('vxlan: the inner frame is wrapped in VXLAN, UDP 8472, IP and Ethernet: 50 bytes', () => {
    const t = trace(sim('flannel-cluster-vxlan').world!, toPod('web-b'), 1);
    const encap = t.events.find((e): e is EncapEvent => e.kind === 'encap')!;
    expect(encap).toMatchObject({ dev: 'flannel.1', tunnel: 'vxlan', overhead: 50 });
    expect(encap.packet?.udp?.dport).toBe(8472);
    expect(encap.packet?.vxlan?.vni).toBe(1);
    expect(encap.packet?.inner?.eth).toBeDefined();
    // Outer IP + UDP + VXLAN + the inner Ethernet header: the frame on the wire grows by 50.
    expect(encap.packet!.ip.len - encap.prev!.ip.len).toBe(50);
    expect(encap.packet?.inner?.ip.dst).toBe('10.244.1.2');
  });

  it('host-gw: no tunnel, routed via the other node, TTL down by one per node', () => {
    const t = trace(sim('flannel-cluster-host-gw').world!, toPod('web-b'), 1);
    expect(t.events.some((e) => e.kind === 'encap')).toBe(false);
    expect(t.events.find((e) => e.kind === 'route' && e.ns === 'node-1')).toMatchObject({
      route: '10.244.1.0/24 via 192.168.56.12 dev eth0',
    });
    const got = t.events.find((e) => e.kind === 'deliver' && e.dir === 'request');
    expect(got?.packet?.ip.ttl).toBe(62);
  });

  it('udp: flanneld relays on each node: a read and a write, two kernel/user crossings', () => {
    const t = trace(sim('flannel-cluster-udp').world!, toPod('web-b'), 1);
    const relays = t.events.filter((e) => e.kind === 'relay');
    // Each relay event is flanneld reading from one side (flannel0, its socket) and writing to
    // the other: 2 crossings per node, 4 per packet, 8 for the request and its reply.
    expect(relays.filter((e) => e.dir === 'request').map((e) => e.node)).toEqual([
      'node-1',
      'node-2',
    ]);
    expect(relays).toHaveLength(4);
    expect(relays.every((e) => e.kind === 'relay' && e.process === 'flanneld')).toBe(true);
    const encap = t.events.find((e): e is EncapEvent => e.kind === 'encap')!;
    expect(encap).toMatchObject({ dev: 'flannel0', tunnel: 'udp', overhead: 28 });
    expect(encap.packet?.udp).toMatchObject({ sport: 8285, dport: 8285 });
    expect(encap.packet?.inner?.eth).toBeUndefined();
  });

  it('host-gw across two subnets: flanneld cannot add the route; the router has none either', () => {
    const s = sim('flannel-host-gw-two-subnets');
    expect(s.diagnostics.filter((d) => d.code === 'PW2030')).toHaveLength(2);
    const t = trace(s.world!, toPod('web-b'), 1);
    golden('flannel-host-gw-two-subnets.trace.txt', formatTraceText(t) + '\n');
    expect(t.outcome).toBe('no-route');
    expect(t.events.at(-1)).toMatchObject({ kind: 'drop', node: 'tor' });
  });

  it('VXLAN across the same two subnets: the router forwards the outer packet', () => {
    const s = sim('flannel-vxlan-two-subnets');
    expect(s.diagnostics).toEqual([]);
    const t = trace(s.world!, toPod('web-b'), 1);
    expect(t.outcome).toBe('delivered');
    const atRouter = t.events.filter((e) => e.node === 'tor' && e.kind === 'route');
    expect(atRouter.map((e) => e.kind === 'route' && e.route)).toEqual([
      '192.168.57.0/24 dev eth1 proto kernel scope link src 192.168.57.1',
      '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1',
    ]);
  });
});

/** A cluster of `counts.length` nodes with counts[i] pods on node i, flannel backend `mode`. */
function clusterYaml(mode: string, counts: number[]): string {
  const docs = [
    `kind: ConfigMap
apiVersion: v1
metadata: { name: kube-flannel-cfg, namespace: kube-flannel }
data:
  net-conf.json: |
    { "Network": "10.244.0.0/16", "Backend": { "Type": "${mode}" } }
`,
  ];
  return [...docs, ...nodesAndPods(counts)].join('---\n');
}

describe('every pod reaches every other pod', () => {
  it('in every flannel mode, on one segment, whatever the cluster', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODES),
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.nat(),
        (mode, counts, a, b) => {
          const s = simulate([{ name: 'c.yaml', text: clusterYaml(mode, counts) }]);
          expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const pods = s.model!.pods;
          const from = pods[a % pods.length]!;
          const to = pods[b % pods.length]!;
          const t = trace(
            s.world!,
            { from: pod(from.name), to: pod(to.name), proto: 'tcp', port: 80 },
            1,
          );
          expect(t.outcome).toBe('delivered');
          expect(t.delivered?.src.split(':')[0]).toBe(from.ip);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('flannel details', () => {
  it('a pod reaching another node masquerades behind its node (FLANNEL-POSTRTG)', () => {
    const t = trace(
      sim('flannel-cluster-vxlan').world!,
      { from: pod('client'), to: { kind: 'node', name: 'node-2' }, proto: 'icmp' },
      1,
    );
    expect(t.outcome).toBe('delivered');
    expect(t.delivered?.src).toBe('192.168.56.11');
    expect(
      t.events.find((e) => e.kind === 'netfilter' && e.verdict === 'MASQUERADE'),
    ).toMatchObject({ chain: 'FLANNEL-POSTRTG' });
  });

  it('VXLAN with DirectRouting: host-gw routes on the same subnet, flannel.1 across the router', () => {
    const direct = (id: string) =>
      simulate([
        {
          name: 'd.yaml',
          text: PRESETS.find((p) => p.id === id)!.files[0]!.text.replace(
            '"Type": "vxlan"',
            '"Type": "vxlan", "DirectRouting": true',
          ),
        },
      ]);
    const routes = (s: ReturnType<typeof direct>) => {
      const d = dump(s.world!, 'node-1', 'routes');
      return 'text' in d ? d.text : d.error;
    };
    const one = direct('flannel-cluster-vxlan');
    expect(one.model!.network.flannel?.directRouting).toBe(true);
    expect(routes(one)).toContain('10.244.1.0/24 via 192.168.56.12 dev eth0');
    expect(trace(one.world!, toPod('web-b'), 1).events.some((e) => e.kind === 'encap')).toBe(false);
    const two = direct('flannel-vxlan-two-subnets');
    expect(routes(two)).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
  });

  it('kube-proxy sends connections to endpoints on both nodes, and every one arrives', () => {
    const s = sim('nginx-deploy-clusterip');
    const flow: FlowSpec = {
      from: pod('client'),
      to: { kind: 'svc', namespace: 'default', name: 'nginx-deploy', port: 8080 },
      proto: 'tcp',
      port: 8080,
    };
    const reached = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const t = trace(sim('nginx-deploy-clusterip').world!, flow, seed);
      expect(t.outcome).toBe('delivered');
      reached.add(t.delivered!.ns);
    }
    const nodesOf = [...reached].map((ns) => s.model!.pods.find((p) => ns.endsWith(p.name))!.node);
    expect(new Set(nodesOf)).toEqual(new Set(['node-1', 'node-2']));
  });
});
