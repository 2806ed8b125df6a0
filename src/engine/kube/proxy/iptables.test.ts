import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kubeProxyText } from './install';
import { kubeProxyRuleset } from './iptables';
import { savedProbability } from './ruleset';
import { clusterWith, node, PROXY_DEFAULTS, service, slice } from './testing';
import { expectGolden } from '../../sim/testing/golden';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Compares with a reviewed snapshot; UPDATE_GOLDEN=1 rewrites it. */
const golden = (name: string, text: string) => expectGolden(here, name, text);

const n1 = node('node-1', '192.168.56.11', '10.244.0.0/24');
const n2 = node('node-2', '192.168.56.12', '10.244.1.0/24');
const tcp = (port: number, name?: string) => [
  { port, targetPort: port, protocol: 'TCP' as const, ...(name ? { name } : {}) },
];

describe('kube-proxy iptables rules (v1.30 proxier.go)', () => {
  it('a node with no services still has the top-level chains, jumps and masquerade machinery', () => {
    golden('empty.rules', kubeProxyText(clusterWith([n1], [], []), n1)!);
  });

  it('ClusterIP with three endpoints: 000 §5.4.2 (nginx-deploy, 8080 -> 80)', () => {
    const svc = service({
      name: 'nginx-deploy',
      clusterIP: '10.98.254.54',
      ports: [{ port: 8080, targetPort: 80, protocol: 'TCP' }],
    });
    const eps = slice(
      'nginx-deploy',
      [{ name: '', port: 80, protocol: 'TCP' }],
      ['10.40.0.6@node-2', '10.32.0.9@node-1', '10.32.0.10@node-1'],
    );
    const text = kubeProxyText(clusterWith([n1, n2], [svc], [eps]), n1)!;
    golden('nginx-deploy.rules', text);
    // The seed's own listing, in its order: endpoint chains sorted by "IP:port" text.
    const svcRules = text.split('\n').filter((l) => l.startsWith('-A KUBE-SVC-I3MZKEX26BFPQC5G'));
    expect(svcRules).toEqual([
      '-A KUBE-SVC-I3MZKEX26BFPQC5G ! -s 10.244.0.0/16 -d 10.98.254.54/32 -p tcp -m comment --comment "default/nginx-deploy cluster IP" -m tcp --dport 8080 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-I3MZKEX26BFPQC5G -m comment --comment "default/nginx-deploy -> 10.32.0.10:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-JJ4EMQL3SIA7AKAP',
      '-A KUBE-SVC-I3MZKEX26BFPQC5G -m comment --comment "default/nginx-deploy -> 10.32.0.9:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-Y6QONWGPY6X4R5GG',
      '-A KUBE-SVC-I3MZKEX26BFPQC5G -m comment --comment "default/nginx-deploy -> 10.40.0.6:80" -j KUBE-SEP-3RXQWVMJJL4LJKWS',
    ]);
  });

  it('session affinity: recent --rcheck in the SVC chain, --set in each SEP (002, redis-sa)', () => {
    const svc = service({
      name: 'redis-sa',
      clusterIP: '10.96.19.85',
      ports: [{ port: 6379, targetPort: 6379, protocol: 'TCP' }],
      affinitySeconds: 10800,
    });
    const eps = slice(
      'redis-sa',
      [{ name: '', port: 6379, protocol: 'TCP' }],
      ['10.244.1.69@node-2', '10.244.1.70@node-2'],
    );
    golden('redis-affinity.rules', kubeProxyText(clusterWith([n1, n2], [svc], [eps]), n1)!);
  });

  it('NodePort, Local policy, no endpoints, LoadBalancer with source ranges, externalIPs', () => {
    const web = service({
      name: 'webapp1-svc',
      type: 'NodePort',
      clusterIP: '10.96.100.10',
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 }],
    });
    const local = service({
      name: 'hello-world',
      type: 'NodePort',
      clusterIP: '10.96.100.20',
      ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP', nodePort: 30036 }],
      externalTrafficPolicy: 'Local',
    });
    const empty = service({
      name: 'nothing',
      type: 'NodePort',
      clusterIP: '10.96.100.30',
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30090 }],
    });
    const lb = service({
      name: 'shop',
      type: 'LoadBalancer',
      clusterIP: '10.96.100.40',
      ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP', nodePort: 31443 }],
      loadBalancerIPs: ['192.168.56.240'],
      loadBalancerSourceRanges: ['192.168.56.0/24', '203.0.113.0/24'],
      externalIPs: ['192.168.56.200'],
    });
    const slices = [
      slice(
        'webapp1-svc',
        [{ name: '', port: 80, protocol: 'TCP' }],
        ['10.244.0.5@node-1', '10.244.1.5@node-2'],
      ),
      slice('hello-world', [{ name: '', port: 8080, protocol: 'TCP' }], ['10.244.1.7@node-2']),
      slice('shop', [{ name: 'https', port: 8443, protocol: 'TCP' }], ['10.244.0.9@node-1']),
    ];
    const model = clusterWith([n1, n2], [web, local, empty, lb], slices);
    // node-1 has no hello-world endpoint (DROP for outside traffic); node-2 has one (KUBE-SVL).
    golden('external-node-1.rules', kubeProxyText(model, n1)!);
    golden('external-node-2.rules', kubeProxyText(model, n2)!);
  });

  it('internalTrafficPolicy Local, UDP, terminating-only endpoints, masqueradeAll', () => {
    const dns = service({
      name: 'node-dns',
      clusterIP: '10.96.0.53',
      ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }],
      internalTrafficPolicy: 'Local',
    });
    const draining = service({
      name: 'draining',
      clusterIP: '10.96.0.60',
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
    });
    const dnsSlice = slice(
      'node-dns',
      [{ name: 'dns', port: 53, protocol: 'UDP' }],
      ['10.244.1.9@node-2'],
    );
    const drainSlice = slice(
      'draining',
      [{ name: '', port: 80, protocol: 'TCP' }],
      ['10.244.0.8@node-1', '10.244.1.8@node-2'],
    );
    // Both endpoints are going away but still serving: kube-proxy keeps using them.
    drainSlice.endpoints.forEach((e) => Object.assign(e, { ready: false, terminating: true }));
    const model = clusterWith([n1, n2], [dns, draining], [dnsSlice, drainSlice]);
    // node-1 has no local DNS endpoint: the ClusterIP is dropped there; node-2 uses KUBE-SVL.
    golden('internal-local-node-1.rules', kubeProxyText(model, n1)!);
    golden('internal-local-node-2.rules', kubeProxyText(model, n2)!);
    const all = { ...model, kubeProxy: { ...PROXY_DEFAULTS, masqueradeAll: true } };
    expect(kubeProxyText(all, n1)).toContain(
      '-A KUBE-SVC-FLX6CX6YGZ2GEJ6N -d 10.96.0.60/32 -p tcp -m comment --comment "default/draining cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    );
  });

  it('headless and ExternalName services get no rules', () => {
    const headless = service({ name: 'nginx-headless', clusterIP: null, ports: tcp(80) });
    const ext = service({
      name: 'db',
      type: 'ExternalName',
      clusterIP: null,
      ports: [],
      externalName: 'db.example.com',
    });
    const base = kubeProxyText(clusterWith([n1], [], []), n1);
    expect(kubeProxyText(clusterWith([n1], [headless, ext], []), n1)).toBe(base);
  });
});

const ipArb = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .map(([a, b]) => `10.244.${a}.${b}`);

describe('kube-proxy ruleset properties', () => {
  const model = fc
    .record({
      n: fc.uniqueArray(ipArb, { minLength: 1, maxLength: 40 }),
      affinity: fc.boolean(),
      nodePort: fc.boolean(),
      local: fc.boolean(),
    })
    .map(({ n, affinity, nodePort, local }) => {
      const svc = service({
        name: 'web',
        type: nodePort ? 'NodePort' : 'ClusterIP',
        clusterIP: '10.96.0.50',
        ports: [
          {
            name: 'http',
            port: 80,
            targetPort: 8080,
            protocol: 'TCP',
            ...(nodePort ? { nodePort: 30080 } : {}),
          },
        ],
        affinitySeconds: affinity ? 10800 : null,
        externalTrafficPolicy: nodePort && local ? 'Local' : 'Cluster',
      });
      const eps = slice(
        'web',
        [{ name: 'http', port: 8080, protocol: 'TCP' }],
        n.map((ip, i) => `${ip}@${i % 2 ? 'node-2' : 'node-1'}`),
      );
      return {
        count: n.length,
        rs: kubeProxyRuleset({ node: n1, services: [svc], slices: [eps], config: PROXY_DEFAULTS }),
      };
    });

  it('a KUBE-SVC chain with n endpoints has n-1 statistic rules making each endpoint equally likely', () => {
    fc.assert(
      fc.property(model, ({ count, rs }) => {
        const chain = rs.chains('nat').find((c) => c.startsWith('KUBE-SVC-'))!;
        const lb = rs
          .rules('nat', chain)
          .filter((r) => !r.includes('--rcheck') && !r.includes('KUBE-MARK-MASQ'));
        expect(lb).toHaveLength(count);
        const probs = lb.map((r) => /--probability (\S+)/.exec(r)?.[1]);
        expect(probs.filter((p) => p !== undefined)).toHaveLength(count - 1);
        expect(probs.at(-1)).toBeUndefined();
        // Chance to reach rule i = product of the misses before it, times its own probability.
        let reach = 1;
        for (const p of probs) {
          const hit = p === undefined ? 1 : Number(p);
          expect(Math.abs(reach * hit - 1 / count)).toBeLessThan(1e-8);
          reach *= 1 - hit;
        }
      }),
    );
  });

  it('every chain jumped to exists, and every SEP chain is jumped to', () => {
    fc.assert(
      fc.property(model, ({ rs }) => {
        for (const t of ['filter', 'nat'] as const) {
          const chains = new Set(rs.chains(t));
          const targets = chains.size
            ? [...chains].flatMap((c) =>
                rs.rules(t, c).flatMap((r) => /-j (KUBE-\S+)/.exec(r)?.[1] ?? []),
              )
            : [];
          for (const target of targets) expect(chains.has(target)).toBe(true);
          for (const c of chains) if (c.startsWith('KUBE-SEP-')) expect(targets).toContain(c);
        }
      }),
    );
  });

  it("the printed probability is 1/n rounded to the statistic module's 31-bit fraction", () => {
    expect(savedProbability(2)).toBe('0.50000000000');
    expect(savedProbability(3)).toBe('0.33333333349');
    expect(savedProbability(4)).toBe('0.25000000000');
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5000 }), (n) => {
        expect(Math.abs(Number(savedProbability(n)) - 1 / n)).toBeLessThan(1e-9);
      }),
    );
  });
});
