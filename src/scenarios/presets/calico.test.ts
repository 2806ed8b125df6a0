import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dump,
  formatDiagnostic,
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

const preset = (id: string) => PRESETS.find((p) => p.id === id)!;
const sim = (id: string) => simulate(preset(id).files);
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
const text = (d: { text: string } | { error: string }) => ('text' in d ? d.text : d.error);

const MODES = ['calico-bgp', 'calico-ipip', 'calico-vxlan'] as const;

describe('Calico: golden traces and dumps', () => {
  it.each(MODES)('%s: pod to pod on the same node, across nodes, and to a Service', (id) => {
    const s = sim(id);
    expect(s.diagnostics).toEqual([]);
    const same = trace(s.world!, toPod('web-a'), 1);
    expect(same.outcome).toBe('delivered');
    golden(`${id}.same-node.trace.txt`, formatTraceText(same) + '\n');
    const across = trace(sim(id).world!, toPod('web-b'), 1);
    expect(across.outcome).toBe('delivered');
    golden(`${id}.cross-node.trace.txt`, formatTraceText(across) + '\n');
    const remote = s.model!.pods.find((p) => p.name === 'web-b')!.ip;
    const seed = [...Array(40).keys()].find((k) =>
      dnatTo(trace(sim(id).world!, toSvc, k + 1))?.startsWith(`${remote}:`),
    )!;
    const svc = trace(sim(id).world!, toSvc, seed + 1);
    expect(svc.outcome).toBe('delivered');
    golden(`${id}.service.trace.txt`, formatTraceText(svc) + '\n');
  });

  it.each([...MODES, 'calico-route-reflector'])(
    '%s: every node after the cross-node flow',
    (id) => {
      const s = sim(id);
      trace(s.world!, toPod('web-b'), 1);
      for (const node of s.model!.nodes.map((n) => n.name)) {
        const out = (['links', 'addrs', 'routes', 'neigh', 'fdb', 'bgp'] as const)
          .map((w) => `# ${w}\n${text(dump(s.world!, node, w))}`)
          .join('\n');
        golden(`${id}.${node}.dump.txt`, out + '\n');
      }
    },
  );

  it('the pod side: a /32, a default route via 169.254.1.1, answered by proxy ARP', () => {
    const s = sim('calico-bgp');
    const client = s.model!.pods.find((p) => p.name === 'client')!;
    expect(text(dump(s.world!, 'default/client', 'routes'))).toContain(
      'default via 169.254.1.1 dev eth0\n169.254.1.1 dev eth0 scope link',
    );
    expect(text(dump(s.world!, 'default/client', 'addrs'))).toContain(`${client.ip}/32`);
    const t = trace(s.world!, toPod('web-b'), 1);
    expect(t.events.find((e) => e.kind === 'arp')).toMatchObject({
      ip: '169.254.1.1',
      mac: 'ee:ee:ee:ee:ee:ee',
      how: 'proxy',
    });
    expect(text(dump(s.world!, 'node-1', 'routes'))).toMatch(
      /^blackhole 10\.244\.0\.0\/26 proto bird$/m,
    );
  });

  it('IPIP adds one IP header (protocol 4, 20 bytes); VXLAN uses UDP 4789 and VNI 4096', () => {
    const ipip = trace(sim('calico-ipip').world!, toPod('web-b'), 1);
    const e = ipip.events.find((x): x is EncapEvent => x.kind === 'encap')!;
    expect(e).toMatchObject({ dev: 'tunl0', tunnel: 'ipip', overhead: 20 });
    expect(e.packet!.ip.proto).toBe(4);
    expect(e.packet!.ip.len - e.prev!.ip.len).toBe(20);
    // Hand-derived: node to node, and tunl0's `ttl inherit` copies the forwarded inner TTL.
    expect(e.packet!.ip).toMatchObject({ src: '192.168.56.11', dst: '192.168.56.12', ttl: 63 });
    expect(e.packet!.inner?.ip).toMatchObject({ ttl: 63, proto: 6 });
    expect(e.packet!.inner?.eth).toBeUndefined();
    const vx = trace(sim('calico-vxlan').world!, toPod('web-b'), 1);
    const v = vx.events.find((x): x is EncapEvent => x.kind === 'encap')!;
    expect(v).toMatchObject({ dev: 'vxlan.calico', tunnel: 'vxlan', overhead: 50 });
    expect(v.packet).toMatchObject({ udp: { dport: 4789 }, vxlan: { vni: 4096 } });
  });

  it('natOutgoing: Felix masquerades pods leaving every pool, matched by its ipsets', () => {
    const s = sim('calico-bgp');
    expect(text(dump(s.world!, 'node-1', 'iptables-save'))).toContain(
      '-m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully',
    );
    expect(text(dump(s.world!, 'node-1', 'ipset'))).toContain('cali40masq-ipam-pools');
    const t = trace(
      s.world!,
      { from: pod('client'), to: { kind: 'node', name: 'node-2' }, proto: 'icmp' },
      1,
    );
    expect(t.delivered?.src).toBe('192.168.56.11');
  });

  it('CrossSubnet: direct on the same subnet, IPIP only to the node behind the router', () => {
    const s = sim('calico-ipip-cross-subnet');
    expect(s.diagnostics).toEqual([]);
    const near = trace(s.world!, toPod('web-b'), 1);
    expect(near.outcome).toBe('delivered');
    expect(near.events.some((e) => e.kind === 'encap')).toBe(false);
    const far = trace(sim('calico-ipip-cross-subnet').world!, toPod('web-c'), 1);
    expect(far.outcome).toBe('delivered');
    expect(far.events.filter((e) => e.kind === 'encap').map((e) => e.node)).toEqual([
      'node-1',
      'node-3',
    ]);
    golden('calico-ipip-cross-subnet.far.trace.txt', formatTraceText(far) + '\n');
  });

  it('route reflector: clients peer with the reflector only and learn each other through it', () => {
    const s = sim('calico-route-reflector');
    const bgp = text(dump(s.world!, 'node-1', 'bgp'));
    expect(bgp).toContain('Node_192_168_56_13');
    expect(bgp).not.toContain('192.168.56.12 (node-2)');
    expect(bgp).toMatch(/^10\.244\.0\.64\/26 +192\.168\.56\.12 +node-3 \(node-2\)$/m);
    expect(trace(s.world!, toPod('web-b'), 1).outcome).toBe('delivered');
    // Without the mesh and without the BGPPeer nobody learns anything: no route, no path.
    const alone = simulate([
      {
        name: 'x.yaml',
        text: preset('calico-route-reflector').files[0]!.text.replace(
          "peerSelector: route-reflector == 'true'",
          "peerSelector: route-reflector == 'nobody'",
        ),
      },
    ]);
    expect(text(dump(alone.world!, 'node-1', 'bgp'))).not.toContain('Established');
    expect(trace(alone.world!, toPod('web-b'), 1).outcome).not.toBe('delivered');
  });
});

describe('Calico resources: diagnostics', () => {
  const pool = (spec: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p
spec:
${spec}`;
  const messages = (t: string) =>
    simulate([{ name: 'p.yaml', text: t }]).diagnostics.map(formatDiagnostic);

  it('an ipipMode the model does not know is an error on its line', () => {
    expect(messages(pool('  cidr: 10.244.0.0/16\n  ipipMode: Sometimes\n'))).toEqual([
      'p.yaml:7:13: error: spec.ipipMode: Unsupported value: "Sometimes": supported values: "Never", "Always", "CrossSubnet" [PW1075]',
    ]);
  });

  it('an IPPool overlapping the service CIDR is reported on its cidr', () => {
    expect(messages(pool('  cidr: 10.96.0.0/16\n'))).toEqual([
      'p.yaml:6:9: error: IPPool 10.96.0.0/16 overlaps the service CIDR 10.96.0.0/12 (or the service CIDR holds the node network 192.168.56.0/24) [PW2009]',
    ]);
  });

  it('a blockSize outside 20..32 is an error', () => {
    expect(messages(pool('  cidr: 10.244.0.0/16\n  blockSize: 8\n'))[0]).toContain('[PW1076]');
  });
});

/** `counts[i]` pods on node i, Calico with the given modes. */
function calicoYaml(ipip: string, vxlan: string, counts: number[]): string {
  const docs = [
    `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata: { name: pool }
spec: { cidr: 10.244.0.0/16, ipipMode: ${ipip}, vxlanMode: ${vxlan} }
`,
  ];
  return [...docs, ...nodesAndPods(counts)].join('---\n');
}

describe('every pod reaches every other pod with Calico', () => {
  it('in every encapsulation mode, on one segment', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ['Never', 'Never'],
          ['Always', 'Never'],
          ['CrossSubnet', 'Never'],
          ['Never', 'Always'],
          ['Never', 'CrossSubnet'],
        ),
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.nat(),
        ([ipip, vxlan], counts, a, b) => {
          const s = simulate([{ name: 'c.yaml', text: calicoYaml(ipip!, vxlan!, counts) }]);
          expect(s.diagnostics).toEqual([]);
          const pods = s.model!.pods;
          const from = pods[a % pods.length]!;
          const to = pods[b % pods.length]!;
          const t = trace(
            s.world!,
            { from: pod(from.name), to: pod(to.name), proto: 'tcp', port: 80 },
            1,
          );
          expect(t.outcome).toBe('delivered');
          expect(t.delivered?.src).toMatch(new RegExp(`^${from.ip.replace(/\./g, '\\.')}:`));
        },
      ),
      { numRuns: 40 },
    );
  });
});
