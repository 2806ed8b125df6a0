import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dump, formatTraceText, trace, type FlowSpec, type TraceEvent } from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';

const here = path.dirname(fileURLToPath(import.meta.url));

const golden = (name: string, text: string) => expectGolden(here, name, text);

const IPVS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    mode: ipvs
    ipvs:
      scheduler: rr
`;

/** webapp1 with its two endpoints both on node-1, so every real server is reachable before the CNI work lands. */
const ONE_NODE = PRESETS.find((p) => p.id === 'webapp1-nodeport')!.files[0]!.text.replace(
  /---\napiVersion: v1\nkind: Node\nmetadata:\n {2}name: node-2\n/,
  '',
);

const sim = (text: string) =>
  simulate([
    { name: 'webapp1.yaml', text },
    { name: 'kube-proxy.yaml', text: IPVS },
  ]);
const toSvc: FlowSpec = {
  from: { kind: 'pod', namespace: 'default', name: 'client' },
  to: { kind: 'svc', namespace: 'default', name: 'webapp1-nodeport-svc', port: 80 },
  proto: 'tcp',
  port: 80,
};
const kinds = (es: TraceEvent[]) => es.map((e) => (e.kind === 'hook' ? `hook ${e.hook}` : e.kind));

describe('kube-proxy IPVS mode in the packet walk', () => {
  it('pod -> ClusterIP: routed local (kube-ipvs0), filter INPUT, rewritten by IPVS at LOCAL_IN, sent on; the reply un-rewritten', () => {
    const s = sim(PRESETS.find((p) => p.id === 'webapp1-nodeport')!.files[0]!.text);
    expect(s.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const before = dump(s.world!, 'node-1', 'ipvsadm');
    const t = trace(s.world!, toSvc, 2);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toMatchObject({
      src: expect.stringMatching(/^10\.244\.0\.2:/),
      dst: '10.244.0.3:80',
    });
    const node = t.events.filter((e) => e.ns === 'node-1' && e.dir === 'request');
    const route = node.find((e) => e.kind === 'route');
    expect(route).toMatchObject({ result: 'local', dev: 'kube-ipvs0' });
    const seq = kinds(node);
    const inp = seq.indexOf('hook INPUT');
    const dnat = node.findIndex((e) => e.kind === 'nat' && e.type === 'DNAT');
    // filter INPUT's rules run before IPVS takes the packet (priority 0 < 98).
    expect(node.slice(inp, dnat).some((e) => e.kind === 'netfilter' && e.table === 'filter')).toBe(
      true,
    );
    expect(node[dnat]).toMatchObject({
      hook: 'INPUT',
      before: '10.103.188.73:80',
      after: '10.244.0.3:80',
    });
    expect(seq.slice(dnat)).toEqual(
      expect.arrayContaining(['relay', 'hook OUTPUT', 'hook POSTROUTING']),
    );
    expect(
      t.events.some((e) => e.kind === 'nat' && e.dir === 'reply' && e.type === 'de-DNAT'),
    ).toBe(true);
    const last = t.events.at(-1)!;
    expect(last).toMatchObject({ kind: 'deliver', src: '10.103.188.73:80' });
    golden('webapp1-nodeport.ipvs.trace.txt', formatTraceText(t) + '\n');
    // ipvsadm -Ln's table is the same; only the counters of the connection moved.
    const after = dump(s.world!, 'node-1', 'ipvsadm');
    const strip = (o: typeof before) =>
      'text' in o ? o.text.replace(/\d+\s+\d+\s+$/gm, '') : o.error;
    expect(strip(after)).toBe(strip(before));
  });

  it('rr: consecutive connections rotate strictly over the real servers', () => {
    const s = sim(ONE_NODE);
    const got = [0, 1, 2, 3, 4, 5].map((i) => trace(s.world!, toSvc, 100 + i).delivered?.dst);
    expect(got.every((d) => d?.startsWith('10.244.0.'))).toBe(true);
    expect(new Set(got).size).toBe(2);
    for (let i = 2; i < got.length; i++) expect(got[i]).toBe(got[i - 2]);
    expect(got[0]).not.toBe(got[1]);
  });

  it('rr on two nodes: the next connection goes to the real server on node-2, through flannel.1', () => {
    const s = sim(PRESETS.find((p) => p.id === 'webapp1-nodeport')!.files[0]!.text);
    const got = [7, 8].map((seed) => trace(s.world!, toSvc, seed));
    expect(got.map((t) => t.outcome)).toEqual(['delivered', 'delivered']);
    expect(new Set(got.map((t) => t.delivered!.dst)).size).toBe(2);
    const remote = got.find((t) => t.delivered!.dst.startsWith('10.244.1.'))!;
    expect(remote.events.some((e) => e.kind === 'encap' && e.tunnel === 'vxlan')).toBe(true);
  });

  it('an outside client to a NodePort: IPVS on NodeIP:nodePort, masqueraded by KUBE-POSTROUTING', () => {
    const s = sim(ONE_NODE);
    const t = trace(
      s.world!,
      {
        from: { kind: 'ip', ip: '192.168.56.100' },
        to: { kind: 'ip', ip: '192.168.56.11', port: 30080 },
        proto: 'tcp',
        port: 30080,
      },
      1,
    );
    expect(t.outcome).toBe('delivered');
    expect(t.delivered!.src).toMatch(/^10\.244\.0\.1:/);
    expect(t.events.find((e) => e.kind === 'nat' && e.type === 'DNAT')).toMatchObject({
      hook: 'INPUT',
      before: '192.168.56.11:30080',
    });
  });
});
