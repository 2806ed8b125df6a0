import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  dump,
  flowEndpoints,
  formatTraceText,
  parseEndpoint,
  trace,
  type FlowSpec,
} from '../../engine';
import { expectGolden } from '../../engine/sim/testing/golden';
import { PRESETS } from '../index';
import { simulate } from '../simulate';

const here = path.dirname(fileURLToPath(import.meta.url));
const sim = () => simulate(PRESETS.find((p) => p.id === 'coredns-records')!.files);

function query(to: string): FlowSpec {
  const parsed = parseEndpoint(to);
  if (!parsed.ok) throw new Error(parsed.error);
  return {
    from: { kind: 'pod', namespace: 'default', name: 'client' },
    to: parsed.endpoint,
    proto: 'udp',
    port: 53,
  };
}

describe('coredns-records: one golden trace per record kind', () => {
  it.each([
    ['a', 'dns:web.default.svc.cluster.local', 'NOERROR', 1],
    ['headless', 'dns:web-headless.default.svc.cluster.local.', 'NOERROR', 2],
    ['srv', 'dns:_http._tcp.web.default.svc.cluster.local/SRV', 'NOERROR', 1],
    ['externalname', 'dns:db.default.svc.cluster.local.', 'NOERROR', 1],
    ['nxdomain', 'dns:nope.default.svc.cluster.local.', 'NXDOMAIN', 0],
    ['search-list', 'dns:web', 'NOERROR', 1],
  ] as const)('%s: %s', (name, to, status, answers) => {
    const s = sim();
    expect(s.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const t = trace(s.world!, query(to), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.dns?.response?.status).toBe(status);
    expect(t.dns?.response?.answers).toHaveLength(answers);
    // Every query is DNATed from the kube-dns ClusterIP to a CoreDNS pod and back.
    expect(
      t.events.some((e) => e.kind === 'nat' && e.type === 'DNAT' && e.before === '10.96.0.10:53'),
    ).toBe(true);
    expect(t.events.some((e) => e.kind === 'nat' && e.type === 'de-DNAT')).toBe(true);
    expectGolden(here, `coredns-records.${name}.trace.txt`, formatTraceText(t));
  });

  it('a short name walks the search list: NXDOMAIN for the first suffix, then the answer', () => {
    const t = trace(sim().world!, query('dns:web.default'), 1);
    expect(t.dns?.tried).toEqual([
      'web.default.default.svc.cluster.local.',
      'web.default.svc.cluster.local.',
    ]);
    expect(t.dns?.response?.answers[0]?.type).toBe('A');
  });

  it('a name with ndots dots or more is tried as it is first', () => {
    const t = trace(sim().world!, query('dns:a.b.c.d.e.example'), 1);
    expect(t.dns?.tried[0]).toBe('a.b.c.d.e.example.');
    expect(t.dns?.tried).toHaveLength(4);
  });

  it('the JSON trace carries the question and answer on the packets', () => {
    const t = JSON.parse(JSON.stringify(trace(sim().world!, query('dns:web'), 1))) as ReturnType<
      typeof trace
    >;
    expect(t.flow.to).toEqual({ kind: 'dns', name: 'web' });
    const first = t.events[0]!;
    expect(first.packet?.dns?.question).toEqual({
      name: 'web.default.svc.cluster.local.',
      type: 'A',
    });
    expect(first.packet?.dns?.flags.qr).toBe(false);
    const last = t.events.at(-1)!;
    expect(last.kind).toBe('deliver');
    expect(last.packet?.dns?.flags).toEqual({ qr: true, aa: true, rd: true, ra: true });
    expect(last.packet?.ip.src).toBe('10.96.0.10');
  });

  it('dump --what resolv prints what kubelet writes for ClusterFirst', () => {
    expect(dump(sim().world!, 'default/client', 'resolv')).toEqual({
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    });
    const s = sim();
    const coredns = s.model!.pods.find((p) => p.owner === 'Deployment/coredns')!;
    // CoreDNS itself runs with dnsPolicy Default: the node's resolver.
    expect(dump(s.world!, `kube-system/${coredns.name}`, 'resolv')).toEqual({
      text: 'nameserver 192.168.56.1\n',
    });
  });

  it('kubeadm objects: kube-dns on .10 with its three ports, two CoreDNS replicas', () => {
    const m = sim().model!;
    const svc = m.services!.find((x) => x.name === 'kube-dns')!;
    expect(svc.clusterIP).toBe('10.96.0.10');
    expect(svc.ports.map((p) => `${p.name}/${p.port}/${p.protocol}`)).toEqual([
      'dns/53/UDP',
      'dns-tcp/53/TCP',
      'metrics/9153/TCP',
    ]);
    expect(m.pods.filter((p) => p.labels['k8s-app'] === 'kube-dns')).toHaveLength(2);
    expect(m.dns).toMatchObject({ domain: 'cluster.local', ttl: 30, cache: 30, pods: 'insecure' });
  });

  it('without CoreDNS declared, a query is a usage problem, not a crash', () => {
    const s = simulate(PRESETS.find((p) => p.id === 'nginx-headless')!.files);
    expect(s.model!.dns).toBeUndefined();
    expect(dump(s.world!, 'default/client', 'resolv')).toEqual({
      text: 'nameserver 192.168.56.1\n',
    });
  });
});

describe('the flow picker with cluster DNS', () => {
  it('offers every Service’s name, and SRV names for its named ports, each one a flow that resolves', () => {
    const s = sim();
    const { targets } = flowEndpoints(s.model!);
    expect(targets).toContain('dns:web.default.svc.cluster.local');
    expect(targets).toContain('dns:_http._tcp.web.default.svc.cluster.local/SRV');
    for (const t of targets.filter((x) => x.startsWith('dns:'))) {
      const r = trace(s.world!, query(t), 1);
      expect(r.outcome, t).toBe('delivered');
    }
  });

  it('offers no DNS names in a cluster without CoreDNS', () => {
    const s = simulate(PRESETS[0]!.files);
    expect(flowEndpoints(s.model!).targets.some((t) => t.startsWith('dns:'))).toBe(false);
  });
});

describe('a URL a pod resolves through the cluster DNS (DESIGN.md §4)', () => {
  const url = (host: string, path = '/'): FlowSpec => ({
    from: { kind: 'pod', namespace: 'default', name: 'client' },
    to: { kind: 'url', scheme: 'http', host, path },
    proto: 'tcp',
  });

  it('looks the host up first, then connects to the address CoreDNS gave: one trace', () => {
    const s = sim();
    const t = trace(s.world!, url('web'), 1);
    const clusterIP = s.model!.services!.find((x) => x.name === 'web')!.clusterIP!;
    expect(t.http?.resolved).toEqual({ ip: clusterIP, how: 'dns' });
    expect(t.dns?.tried[0]).toBe('web.default.svc.cluster.local.');
    expect(t.outcome).toBe('delivered');
    expect(t.events.map((e) => e.i)).toEqual(t.events.map((_, i) => i));
    // The lookup (UDP to kube-dns) comes before the connection's SYN (TCP to the ClusterIP).
    const firstTcp = t.events.findIndex((e) => e.kind === 'send' && e.packet?.tcp);
    const lastDns = t.events.findLastIndex((e) => e.packet?.dns !== undefined);
    expect(lastDns).toBeGreaterThan(0);
    expect(firstTcp).toBeGreaterThan(lastDns);
    expect(t.events[firstTcp]!.packet!.ip.dst).toBe(clusterIP);
    expectGolden(here, 'coredns-records.url-through-dns.trace.txt', formatTraceText(t));
  });

  it('a name CoreDNS does not know: the lookup, then curl’s "Could not resolve host"', () => {
    const t = trace(sim().world!, url('nope'), 1);
    expect(t.outcome).toBe('unreachable');
    expect(t.delivered).toBeNull();
    expect(t.events.at(-1)).toMatchObject({
      kind: 'drop',
      reason: 'unresolved',
      // The search list ends on `nope.`, outside the cluster's zone: SERVFAIL (no upstream).
      message: 'curl: (6) Could not resolve host: nope (SERVFAIL)',
    });
  });
});
