import { describe, expect, it } from 'vitest';
import type { ConfigMapObject } from '../engine/kube/objects';
import { parseCorefile } from './corefile';
import { parseManifests } from './parse';

// kubeadm's Corefile (the engine's KUBEADM_COREFILE; manifests may not import engine values).
const KUBEADM_COREFILE = `.:53 {
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
`;

function configMap(corefile: string) {
  const indented = corefile
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n${indented}\n`;
  const r = parseManifests([{ name: 'c.yaml', text }]);
  const cm = r.objects.find((o): o is ConfigMapObject => o.kind === 'ConfigMap');
  return { corefile: cm?.corefile, diagnostics: r.diagnostics };
}

describe('the Corefile', () => {
  it("reads kubeadm's: zones, pods insecure, ttl 30, forward to /etc/resolv.conf, cache 30", () => {
    const { corefile, diagnostics } = configMap(KUBEADM_COREFILE);
    expect(diagnostics).toEqual([]);
    expect(corefile).toMatchObject({
      port: 53,
      kubernetesZones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      pods: 'insecure',
      ttl: 30,
      forward: ['/etc/resolv.conf'],
      cache: 30,
    });
  });

  it.each([
    [
      'defaults: ttl 5, pods disabled, no forward or cache',
      '.:53 {\n  kubernetes cluster.local\n}',
      { ttl: 5, pods: 'disabled', forward: null, cache: null },
    ],
    [
      'cache without a number is 3600',
      '.:53 {\n  kubernetes k8s.test\n  cache\n}',
      { cache: 3600, kubernetesZones: ['k8s.test'] },
    ],
    [
      'another port and domain',
      '.:1053 {\n  kubernetes corp.example in-addr.arpa {\n    pods verified\n  }\n  forward . 8.8.8.8 1.1.1.1\n}',
      { port: 1053, pods: 'verified', forward: ['8.8.8.8', '1.1.1.1'] },
    ],
  ])('%s', (_, text, want) => {
    const { corefile, diagnostics } = configMap(text);
    expect(diagnostics).toEqual([]);
    expect(corefile).toMatchObject(want);
  });

  it('an unknown plugin is a warning on its own line of the manifest (PW1079)', () => {
    const { corefile, diagnostics } = configMap(
      '.:53 {\n  kubernetes cluster.local\n  rewrite name foo bar\n}',
    );
    expect(corefile?.plugins).toEqual(['kubernetes', 'rewrite']);
    expect(diagnostics).toMatchObject([{ code: 'PW1079', severity: 'warning', line: 10, col: 7 }]);
  });

  it.each([
    ['an unclosed block', '.:53 {\n  kubernetes cluster.local\n', 'never closed'],
    ['a stray brace', '}\n', 'unexpected "}"'],
    ['no zone', '{\n  errors\n}', 'needs a zone'],
  ])('%s is an error (PW1080)', (_, text, message) => {
    const { corefile, diagnostics } = configMap(text);
    expect(corefile).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'PW1080', severity: 'error' });
    expect(diagnostics[0]!.message).toContain(message);
  });

  it('no kubernetes plugin is a warning (PW1080)', () => {
    const { diagnostics } = configMap('.:53 {\n  forward . /etc/resolv.conf\n}');
    expect(diagnostics).toMatchObject([{ code: 'PW1080', severity: 'warning' }]);
  });

  it('parses blocks, nested blocks, comments and quotes', () => {
    const r = parseCorefile(
      '# top\nexample.org:53 cluster.local {\n  log "a b" # c\n  health {\n    lameduck 5s\n  }\n}\n',
    );
    expect(r.ok && r.blocks[0]!.keys.map((k) => k.text)).toEqual([
      'example.org:53',
      'cluster.local',
    ]);
    expect(
      r.ok &&
        r.blocks[0]!.directives.map((d) => [
          d.name.text,
          d.args.map((a) => a.text),
          d.block.length,
        ]),
    ).toEqual([
      ['log', ['a b'], 0],
      ['health', [], 1],
    ]);
  });
});

describe('pod DNS settings', () => {
  const pod = (spec: string) =>
    parseManifests([
      {
        name: 'p.yaml',
        text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n${spec}`,
      },
    ]);

  it('reads dnsPolicy and dnsConfig', () => {
    const r = pod(
      '  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.1.1.1]\n    searches: [corp.example]\n    options:\n      - name: ndots\n        value: "2"\n',
    );
    expect(r.diagnostics).toEqual([]);
    const p = r.objects[0]!;
    expect(p.kind === 'Pod' && p.spec).toMatchObject({
      dnsPolicy: 'None',
      dnsConfig: {
        nameservers: ['1.1.1.1'],
        searches: ['corp.example'],
        options: [{ name: 'ndots', value: '2' }],
      },
    });
  });

  it.each([
    ['  dnsPolicy: Cluster\n', 'PW1013'],
    ['  dnsPolicy: None\n', 'PW1081'],
    ['  dnsPolicy: None\n  dnsConfig:\n    searches: [a]\n', 'PW1081'],
    ['  dnsConfig:\n    nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4]\n', 'PW1081'],
    ['  dnsConfig:\n    nameservers: [dns.example]\n', 'PW1012'],
  ])('%j is rejected as the apiserver would (%s)', (spec, code) => {
    expect(pod(spec).diagnostics.map((d) => d.code)).toContain(code);
  });
});
