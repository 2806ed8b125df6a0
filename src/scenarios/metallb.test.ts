import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';

// MetalLB's controller and speakers (docs/LOAD-BALANCERS.md), through the whole pipeline.

const POOLS = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lan
  namespace: metallb-system
spec:
  addresses:
    - 192.168.56.240-192.168.56.241
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: public
  namespace: metallb-system
spec:
  autoAssign: false
  avoidBuggyIPs: true
  addresses:
    - 203.0.113.0/30
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: l2
  namespace: metallb-system
spec:
  ipAddressPools: [lan]
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata:
  name: bgp
  namespace: metallb-system
spec:
  ipAddressPools: [public]
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  nodeName: node-2
  containers:
    - name: web
      image: nginx
      ports: [{containerPort: 80}]
`;

const svc = (name: string, extra = '', meta = '') => `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
${meta}spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
${extra}`;

const run = (text: string) => {
  const s = simulate([{ name: 'm.yaml', text }]);
  const ips = Object.fromEntries(
    (s.model?.services ?? []).map((x) => [x.name, x.loadBalancerIPs.join(',')]),
  );
  return { s, ips, diags: s.diagnostics.map((d) => `${d.line}: ${d.code} ${d.message}`) };
};

describe('MetalLB controller: allocation', () => {
  it('gives the first free addresses of a range, in the order the Services come', () => {
    const { ips, diags } = run(POOLS + svc('a') + svc('b'));
    expect(ips).toMatchObject({ a: '192.168.56.240', b: '192.168.56.241' });
    expect(diags).toEqual([]);
  });

  it('is deterministic: the same scenario always gets the same addresses', () => {
    const text = POOLS + svc('a') + svc('b');
    expect(run(text).ips).toEqual(run(text).ips);
  });

  it('an exhausted pool leaves the Service pending, with AllocationFailed on its line', () => {
    const text = POOLS + svc('a') + svc('b') + svc('c');
    const { ips, diags } = run(text);
    expect(ips.c).toBe('');
    const line = text.split('\n').findIndex((l) => l === '  name: c') + 1;
    expect(diags).toEqual([
      `${line - 2}: PW2043 AllocationFailed: Failed to allocate IP for "default/c": no available IPs (the Service's EXTERNAL-IP stays <pending>)`,
    ]);
  });

  it('spec.loadBalancerIP is honoured first; outside every pool it is refused', () => {
    const text = POOLS + svc('a') + svc('b', '  loadBalancerIP: 192.168.56.240\n');
    expect(run(text).ips).toMatchObject({ a: '192.168.56.241', b: '192.168.56.240' });
    const bad = POOLS + svc('x', '  loadBalancerIP: 192.168.56.50\n');
    const r = run(bad);
    expect(r.ips.x).toBe('');
    const line = bad.split('\n').findIndex((l) => l.includes('loadBalancerIP:')) + 1;
    expect(r.diags).toEqual([
      `${line}: PW2042 AllocationFailed: Failed to allocate IP for "default/x": "192.168.56.50" is not allowed in config (the Service's EXTERNAL-IP stays <pending>)`,
    ]);
  });

  it('the annotations pick an address or a pool (autoAssign false pools only this way)', () => {
    const pick = `  annotations:\n    metallb.universe.tf/address-pool: public\n`;
    const ask = `  annotations:\n    metallb.io/loadBalancerIPs: 192.168.56.241\n`;
    const { ips, diags } = run(POOLS + svc('p', '', pick) + svc('q', '', ask) + svc('r'));
    // 203.0.113.0 ends in .0: avoidBuggyIPs skips it.
    expect(ips).toMatchObject({ p: '203.0.113.1', q: '192.168.56.241', r: '192.168.56.240' });
    expect(diags).toEqual([]);
    const unknown = `  annotations:\n    metallb.universe.tf/address-pool: nope\n`;
    expect(run(POOLS + svc('u', '', unknown)).diags[0]).toMatch(/PW2042 .*unknown pool "nope"/);
  });

  it('reports bad pool addresses and overlapping pools on their lines', () => {
    const text = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: a, namespace: metallb-system}
spec:
  addresses:
    - 10.0.0.9-10.0.0.1
    - 10.0.0.0/33
    - 10.0.0.0/24
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: b, namespace: metallb-system}
spec:
  addresses: [10.0.0.128/25]
`;
    const d = simulate([{ name: 'm.yaml', text }]).diagnostics.map(
      (x) => `${x.line}: ${x.code} ${x.message}`,
    );
    expect(d).toEqual([
      '6: PW1077 spec.addresses[0]: invalid IP range "10.0.0.9-10.0.0.1": first IP "10.0.0.9" is after last IP "10.0.0.1"',
      '7: PW1077 spec.addresses[1]: invalid CIDR "10.0.0.0/33" in pool "a": the prefix length must be 0-32',
    ]);
    const model = simulate([{ name: 'm.yaml', text: text.replace(/.*(9-10|\/33).*\n/g, '') }]);
    expect(model.diagnostics.map((x) => `${x.line}: ${x.code} ${x.message}`)).toEqual([
      '12: PW2046 CIDR "10.0.0.128/25" in pool "b" overlaps with already defined CIDR "10.0.0.0/24" in pool "a"',
    ]);
  });
});

describe('MetalLB speakers: who announces', () => {
  it('L2: the node elected by hash answers ARP; BGP: the address is routed to a node', () => {
    const pick = `  annotations:\n    metallb.universe.tf/address-pool: public\n`;
    const { s } = run(POOLS + svc('a') + svc('p', '', pick));
    const lb = s.model!.loadBalancing!;
    expect(lb.provider).toBe('metallb');
    if (lb.provider !== 'metallb') return;
    expect(lb.announcements).toEqual([
      { service: 'default/a', ip: '192.168.56.240', pool: 'lan', mode: 'l2', node: 'node-1' },
      { service: 'default/p', ip: '203.0.113.1', pool: 'public', mode: 'bgp', node: 'node-1' },
    ]);
    const eth0 = s.world!.namespaces.get('node-1')!.devices.get('eth0')!;
    expect(eth0.announce?.map(String)).toHaveLength(1);
  });

  it('Local policy: only a node with a ready endpoint may announce', () => {
    const { s } = run(POOLS + svc('a', '  externalTrafficPolicy: Local\n'));
    const lb = s.model!.loadBalancing!;
    if (lb.provider !== 'metallb') throw new Error('no MetalLB');
    expect(lb.announcements[0]).toMatchObject({ mode: 'l2', node: 'node-2' });
  });

  it('nodeSelectors restrict the candidates; a pool with no advertisement is not announced', () => {
    const sel = POOLS.replace(
      '  ipAddressPools: [lan]\n',
      '  ipAddressPools: [lan]\n  nodeSelectors:\n    - matchLabels: {kubernetes.io/hostname: node-2}\n',
    );
    const { s } = run(sel + svc('a'));
    const lb = s.model!.loadBalancing!;
    if (lb.provider !== 'metallb') throw new Error('no MetalLB');
    expect(lb.announcements[0]).toMatchObject({ node: 'node-2' });
    const noAdv = POOLS.replace(
      /---\napiVersion: metallb.io\/v1beta1\nkind: L2Advertisement[^]*?---\n/,
      '---\n',
    );
    const r = run(noAdv + svc('a'));
    expect(r.diags.join('\n')).toMatch(
      /PW2045 no L2Advertisement or BGPAdvertisement selects pool "lan"/,
    );
  });
});
