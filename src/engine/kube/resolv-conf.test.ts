import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalName, dashedIp, fromReverseName, reverseName, undashIp } from '../wire/dns';
import type { ClusterModel, PodModel } from './model';
import { ndotsOf, podResolvConf, resolvConfText, searchCandidates } from './resolv-conf';

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 8 }).map((ls) => ls.join('.'));
const search = fc.array(name, { maxLength: 6 });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

describe('search-list expansion (glibc res_search)', () => {
  it('a name with at least ndots dots is tried as it is first, then with each suffix', () => {
    fc.assert(
      fc.property(name, search, fc.nat(6), (n, s, ndots) => {
        fc.pre(n.split('.').length - 1 >= ndots);
        const c = searchCandidates(n, { search: s }, ndots);
        expect(c[0]).toBe(`${n}.`);
        expect(c.slice(1)).toEqual(s.map((x) => `${n}.${x}.`));
      }),
    );
  });

  it('a shorter name gets the suffixes first and is tried as it is last', () => {
    fc.assert(
      fc.property(name, search, fc.integer({ min: 1, max: 15 }), (n, s, ndots) => {
        fc.pre(n.split('.').length - 1 < ndots);
        const c = searchCandidates(n, { search: s }, ndots);
        expect(c.at(-1)).toBe(`${n}.`);
        expect(c).toHaveLength(s.length + 1);
      }),
    );
  });

  it('an absolute name (final dot) is only ever tried as it is; every candidate is absolute', () => {
    fc.assert(
      fc.property(name, search, fc.nat(15), (n, s, ndots) => {
        expect(searchCandidates(`${n}.`, { search: s }, ndots)).toEqual([`${n}.`]);
        for (const c of searchCandidates(n, { search: s }, ndots)) expect(c).toBe(canonicalName(c));
      }),
    );
  });
});

describe('pod and reverse names', () => {
  it('a pod IP survives dashing and undashing; a dashed label has no dots', () => {
    fc.assert(
      fc.property(ipv4, (ip) => {
        expect(dashedIp(ip)).not.toContain('.');
        expect(undashIp(dashedIp(ip))).toBe(ip);
      }),
    );
  });

  it('in-addr.arpa names round-trip', () => {
    fc.assert(
      fc.property(ipv4, (ip) => {
        expect(fromReverseName(reverseName(ip))).toBe(ip);
      }),
    );
  });

  it.each(['10-244-0', '10-244-0-256', '10-244-00-1', 'a-b-c-d', '10.244.0.1', '-10-244-0-1'])(
    '%s is not a dashed address',
    (l) => expect(undashIp(l)).toBeUndefined(),
  );
});

describe("kubelet's resolv.conf", () => {
  const model = {
    nodes: [{ name: 'n1', internalIP: '192.168.56.11' }],
    network: { underlayCIDR: '192.168.56.0/24' },
    dns: { clusterIP: '10.96.0.10', domain: 'cluster.local' },
  } as unknown as ClusterModel;
  const pod = (p: Partial<PodModel>) =>
    ({ namespace: 'shop', name: 'p', node: 'n1', hostNetwork: false, ...p }) as PodModel;

  it.each<[string, Partial<PodModel>, string]>([
    [
      'ClusterFirst',
      {},
      'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    ],
    ['hostNetwork falls back to Default', { hostNetwork: true }, 'nameserver 192.168.56.1\n'],
    [
      'ClusterFirstWithHostNet',
      { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' },
      'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    ],
    ['Default', { dnsPolicy: 'Default' }, 'nameserver 192.168.56.1\n'],
    [
      'None + dnsConfig',
      {
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.1.1.1'],
          searches: ['corp.example'],
          options: [{ name: 'edns0' }],
        },
      },
      'search corp.example\nnameserver 1.1.1.1\noptions edns0\n',
    ],
    [
      'ClusterFirst + dnsConfig',
      {
        dnsConfig: {
          nameservers: ['1.1.1.1'],
          searches: ['corp.example'],
          options: [{ name: 'ndots', value: '2' }],
        },
      },
      'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:2\n',
    ],
  ])('%s', (_, p, text) => {
    expect(resolvConfText(podResolvConf(model, pod(p)))).toBe(text);
  });

  it('ndots defaults to 1 and is capped at 15', () => {
    expect(ndotsOf({ nameservers: [], search: [], options: [] })).toBe(1);
    expect(
      ndotsOf({ nameservers: [], search: [], options: [{ name: 'ndots', value: '40' }] }),
    ).toBe(15);
  });
});
