import { describe, expect, it } from 'vitest';
import type { DnsType } from '../sim/trace-types';
import { rcodeName } from '../wire/dns';
import { lookupDns } from './dns-records';
import type { ClusterModel, DnsModel, ServiceModel } from './model';

const svc = (name: string, extra: Partial<ServiceModel>): ServiceModel => ({
  namespace: 'default',
  name,
  type: 'ClusterIP',
  clusterIP: null,
  ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }],
  selector: { app: 'web' },
  externalIPs: [],
  loadBalancerIPs: [],
  loadBalancerSourceRanges: [],
  affinitySeconds: null,
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  ...extra,
});
const dns: DnsModel = {
  clusterIP: '10.96.0.10',
  domain: 'cluster.local',
  reverseZones: ['in-addr.arpa', 'ip6.arpa'],
  pods: 'insecure',
  ttl: 30,
  forward: ['/etc/resolv.conf'],
  cache: 30,
};
const ep = (ip: string, ready = true) => ({ ip, ready, serving: ready, terminating: false });
const model = (over: Partial<DnsModel> = {}): ClusterModel =>
  ({
    nodes: [],
    pods: [
      {
        namespace: 'default',
        name: 'web-1',
        node: 'n',
        ip: '10.244.0.3',
        labels: {},
        ready: true,
        hostNetwork: false,
        ports: [],
      },
    ],
    services: [
      svc('web', { clusterIP: '10.96.0.20' }),
      svc('web-headless', {}),
      svc('empty-headless', { selector: { app: 'none' } }),
      svc('db', { type: 'ExternalName', externalName: 'db.example.com', ports: [] }),
      svc('multi', {
        clusterIP: '10.96.0.30',
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        ],
      }),
    ],
    endpointSlices: [
      {
        namespace: 'default',
        name: 'web-a',
        service: 'web',
        managedBy: 'x',
        ports: [],
        endpoints: [ep('10.244.0.3'), ep('10.244.1.2')],
      },
      {
        namespace: 'default',
        name: 'web-headless-a',
        service: 'web-headless',
        managedBy: 'x',
        ports: [],
        endpoints: [ep('10.244.0.3'), ep('10.244.1.2'), ep('10.244.1.9', false)],
      },
    ],
    dns: { ...dns, ...over },
  }) as unknown as ClusterModel;

const Z = 'svc.cluster.local.';
describe('the kubernetes plugin, record by record', () => {
  it.each<[string, DnsType, string, string[]]>([
    [`web.default.${Z}`, 'A', 'NOERROR', ['A 10.96.0.20']],
    [`WEB.Default.${Z}`, 'A', 'NOERROR', ['A 10.96.0.20']],
    [`web-headless.default.${Z}`, 'A', 'NOERROR', ['A 10.244.0.3', 'A 10.244.1.2']],
    [`10-244-1-2.web-headless.default.${Z}`, 'A', 'NOERROR', ['A 10.244.1.2']],
    [`10-244-1-9.web-headless.default.${Z}`, 'A', 'NXDOMAIN', []],
    [`empty-headless.default.${Z}`, 'A', 'NOERROR', []],
    [`db.default.${Z}`, 'A', 'NOERROR', ['CNAME db.example.com.']],
    [`db.default.${Z}`, 'CNAME', 'NOERROR', ['CNAME db.example.com.']],
    [`_http._tcp.web.default.${Z}`, 'SRV', 'NOERROR', [`SRV 0 100 80 web.default.${Z}`]],
    [
      `_http._tcp.web-headless.default.${Z}`,
      'SRV',
      'NOERROR',
      [
        `SRV 0 50 80 10-244-0-3.web-headless.default.${Z}`,
        `SRV 0 50 80 10-244-1-2.web-headless.default.${Z}`,
      ],
    ],
    [`_dns._udp.multi.default.${Z}`, 'SRV', 'NOERROR', [`SRV 0 100 53 multi.default.${Z}`]],
    [
      `multi.default.${Z}`,
      'SRV',
      'NOERROR',
      [`SRV 0 50 80 multi.default.${Z}`, `SRV 0 50 53 multi.default.${Z}`],
    ],
    [`_dns._tcp.multi.default.${Z}`, 'SRV', 'NXDOMAIN', []],
    [`web.default.${Z}`, 'SRV', 'NOERROR', [`SRV 0 100 80 web.default.${Z}`]],
    [`web.default.${Z}`, 'CNAME', 'NOERROR', []],
    [`nope.default.${Z}`, 'A', 'NXDOMAIN', []],
    [`web.other.${Z}`, 'A', 'NXDOMAIN', []],
    [`default.${Z}`, 'A', 'NOERROR', []],
    [`nowhere.${Z}`, 'A', 'NXDOMAIN', []],
    ['10-244-7-7.default.pod.cluster.local.', 'A', 'NOERROR', ['A 10.244.7.7']],
    ['10-244-7-300.default.pod.cluster.local.', 'A', 'NXDOMAIN', []],
    ['20.0.96.10.in-addr.arpa.', 'PTR', 'NOERROR', [`PTR web.default.${Z}`]],
    ['2.1.244.10.in-addr.arpa.', 'PTR', 'NOERROR', [`PTR 10-244-1-2.web.default.${Z}`]],
    ['9.9.9.10.in-addr.arpa.', 'PTR', 'NXDOMAIN', []],
    ['example.com.', 'A', 'SERVFAIL', []],
    ['cluster.local.', 'A', 'NOERROR', []],
  ])('%s %s -> %s', (name, type, status, want) => {
    const a = lookupDns(model(), name, type);
    expect([rcodeName(a.rcode), a.answers.map((r) => `${r.type} ${r.data}`)]).toEqual([
      status,
      want,
    ]);
    expect(a.answers.every((r) => r.ttl === 30)).toBe(true);
  });

  it('NXDOMAIN and empty answers carry the zone SOA in the authority section', () => {
    for (const n of [`nope.default.${Z}`, `default.${Z}`])
      expect(lookupDns(model(), n, 'A').authority).toEqual([
        {
          name: 'cluster.local.',
          type: 'SOA',
          ttl: 30,
          data: 'ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30',
        },
      ]);
  });

  it.each([
    ['verified', '10-244-0-3.default.pod.cluster.local.', 'A', 0],
    ['verified', '10-244-7-7.default.pod.cluster.local.', 'A', 3],
    ['disabled', '10-244-0-3.default.pod.cluster.local.', 'A', 3],
  ] as const)('pods %s: %s', (pods, name, type, rcode) => {
    expect(lookupDns(model({ pods }), name, type).rcode).toBe(rcode);
  });

  it('a SRV target of a ClusterIP Service comes with its A record in the additional section', () => {
    expect(lookupDns(model(), `_http._tcp.web.default.${Z}`, 'SRV').additional).toEqual([
      { name: `web.default.${Z}`, type: 'A', ttl: 30, data: '10.96.0.20' },
    ]);
  });
});
