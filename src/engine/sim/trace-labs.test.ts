import { describe, expect, it } from 'vitest';
import { buildLabWorld } from '../kube/lab-world';
import {
  calicoIpip,
  flannelUdp,
  dockerBridge,
  flannelVxlan,
  iptablesNatLab,
  lanLab,
  NETNS_WALKTHROUGH,
  routedLab,
} from '../kube/labs';
import type { LabModel } from '../kube/lab-model';
import { dump } from './dump';
import { labFlowSpec } from './flows';
import { formatTraceText } from './format-text';
import { trace } from './trace';

// Golden traces of the syllabus labs (seed 000 §3), reviewed as diffs. The same labs run
// against the real kernel in kernel-diff.test.ts.

function traceOf(lab: LabModel, i: number) {
  const world = buildLabWorld(lab);
  const t = trace(world, labFlowSpec(lab.flows[i]!)!, 1);
  return { world, t };
}

describe('netns walk-through: ping test1 → test2 over a veth pair', () => {
  it('is answered by test2 and comes back, TTL 64 both ways (nothing is routed)', () => {
    const { t } = traceOf(NETNS_WALKTHROUGH, 0);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toEqual({
      ns: 'test2',
      proto: 'icmp',
      src: '192.168.1.1',
      dst: '192.168.1.2',
    });
    const arrivals = t.events.filter((e) => e.kind === 'deliver');
    expect(arrivals.map((e) => [e.ns, e.packet?.icmp?.type, e.packet?.ip.ttl])).toEqual([
      ['test2', 8, 64],
      ['test1', 0, 64],
    ]);
    // The first packet needs ARP; the reply finds test1's MAC already learned from the request.
    expect(t.events.filter((e) => e.kind === 'arp').map((e) => e.ns)).toEqual(['test1']);
  });

  it('matches the golden trace and the golden `ip` outputs', async () => {
    const { world, t } = traceOf(NETNS_WALKTHROUGH, 0);
    await expect(formatTraceText(t)).toMatchFileSnapshot(
      './__golden__/netns-walkthrough.trace.txt',
    );
    const tools = ['links', 'addrs', 'routes', 'neigh'] as const;
    const text = ['test1', 'test2']
      .flatMap((ns) =>
        tools.map((w) => {
          const d = dump(world, ns, w);
          return `## ${ns} ${w}\n${'text' in d ? d.text : d.error}\n`;
        }),
      )
      .join('\n');
    await expect(text).toMatchFileSnapshot('./__golden__/netns-walkthrough.dump.txt');
  });
});

describe('Docker bridge', () => {
  it('container → container is bridged by docker0 and accepted by FORWARD rule 3', async () => {
    const { t } = traceOf(dockerBridge(), 0);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered?.dst).toBe('172.17.0.3:80');
    const fwd = t.events.find(
      (e) => e.kind === 'netfilter' && e.matched && e.chain === 'FORWARD' && e.dir === 'request',
    );
    expect(fwd).toMatchObject({ index: 3, verdict: 'ACCEPT' });
    await expect(formatTraceText(t)).toMatchFileSnapshot(
      './__golden__/docker-container-to-container.trace.txt',
    );
  });
});

describe('Docker bridge, container → the internet', () => {
  it('leaves with the host address (MASQUERADE) and the reply is de-NATed back to c1', async () => {
    const { t } = traceOf(dockerBridge(), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toMatchObject({ ns: 'internet', dst: '93.184.216.34:80' });
    expect(t.delivered?.src).toMatch(/^192\.168\.56\.11:\d+$/);
    const nat = t.events.filter((e) => e.kind === 'nat').map((e) => `${e.dir} ${e.type}`);
    expect(nat).toEqual(['request MASQUERADE', 'reply de-SNAT']);
    const back = t.events.at(-1);
    expect(back).toMatchObject({ kind: 'deliver', ns: 'c1' });
    await expect(formatTraceText(t)).toMatchFileSnapshot(
      './__golden__/docker-container-to-internet.trace.txt',
    );
  });
});

describe('a router between two subnets', () => {
  it('matches the golden trace (TTL 63 on arrival, FORWARD both ways)', async () => {
    const { t } = traceOf(routedLab(), 0);
    await expect(formatTraceText(t)).toMatchFileSnapshot('./__golden__/routed-tcp.trace.txt');
  });
});

describe('flannel VXLAN between two hosts', () => {
  it('wraps the echo in UDP 8472 with VNI 1 (50 bytes more) and unwraps it on host-b', async () => {
    const { world, t } = traceOf(flannelVxlan(), 0);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toMatchObject({ ns: 'host-b', src: '10.244.0.0', dst: '10.244.1.0' });
    const encap = t.events.find((e) => e.kind === 'encap' && e.dir === 'request');
    expect(encap?.packet).toMatchObject({
      ip: { src: '192.168.56.11', dst: '192.168.56.12', proto: 17, len: 84 + 50 },
      udp: { dport: 8472 },
      vxlan: { vni: 1 },
      inner: { ip: { src: '10.244.0.0', dst: '10.244.1.0', len: 84 } },
    });
    expect(t.events.filter((e) => e.kind === 'decap').map((e) => e.ns)).toEqual([
      'host-b',
      'host-a',
    ]);
    expect(world.namespaces.get('host-a')!.devices.get('flannel.1')!.mtu).toBe(1450);
    await expect(formatTraceText(t)).toMatchFileSnapshot('./__golden__/flannel-vxlan.trace.txt');
    const d = dump(world, 'host-a', 'fdb');
    expect('text' in d && d.text).toBe(
      '0a:58:0a:f4:01:00 dev flannel.1 dst 192.168.56.12 self permanent',
    );
  });
});

describe('a hand-written iptables ruleset on a router', () => {
  const outcomes = ['delivered', 'delivered', 'rejected', 'dropped'];
  const golden = ['dnat-forward', 'dnat-output', 'reject', 'drop'];
  iptablesNatLab().flows.forEach((f, i) =>
    it(`${f.from} → ${f.to}:${f.port ?? ''}: ${outcomes[i]}, as the golden trace shows`, async () => {
      const { t } = traceOf(iptablesNatLab(), i);
      expect(t.outcome).toBe(outcomes[i]);
      if (i < 2) expect(t.delivered).toMatchObject({ ns: 'server', dst: '10.0.2.2:8080' });
      if (i < 2) expect(t.delivered?.src).toMatch(/^10\.0\.2\.1:/);
      if (i === 2) {
        const err = t.events.find((e) => e.kind === 'send' && e.dir === 'reply');
        expect(err).toMatchObject({ ns: 'router', packet: { icmp: { type: 3, code: 3 } } });
        expect(t.events.at(-1)).toMatchObject({ kind: 'deliver', ns: 'client' });
      }
      await expect(formatTraceText(t)).toMatchFileSnapshot(
        `./__golden__/iptables-nat-${golden[i]!}.trace.txt`,
      );
    }),
  );
});

describe('Calico IPIP between two nodes', () => {
  it('wraps the packet in a second IP header (proto 4, 20 bytes, TTL inherited) for the gateway', async () => {
    const { world, t } = traceOf(calicoIpip(), 0);
    expect(t.outcome).toBe('delivered');
    const encap = t.events.find((e) => e.kind === 'encap' && e.dir === 'request');
    expect(encap).toMatchObject({ dev: 'tunl0', tunnel: 'ipip', overhead: 20 });
    expect(encap?.packet).toMatchObject({
      ip: { src: '192.168.56.11', dst: '192.168.56.12', proto: 4, ttl: 64, len: 104 },
      inner: { ip: { src: '10.244.0.0', dst: '10.244.1.0', len: 84 } },
    });
    expect(t.events.some((e) => e.kind === 'arp' && e.dev === 'tunl0')).toBe(false);
    expect(world.namespaces.get('node-1')!.devices.get('tunl0')!.mtu).toBe(1480);
    const links = dump(world, 'node-1', 'links');
    expect('text' in links && links.text.split('\n')[2]).toBe(
      'tunl0@NONE       UNKNOWN        0.0.0.0           <NOARP,UP,LOWER_UP>',
    );
    await expect(formatTraceText(t)).toMatchFileSnapshot('./__golden__/calico-ipip.trace.txt');
  });
});

describe("flannel's UDP backend: a TUN device read by flanneld", () => {
  it('goes up to flanneld, across in UDP 8285 (28 bytes more) and down again on node-2', async () => {
    const { world, t } = traceOf(flannelUdp(), 0);
    expect(t.outcome).toBe('delivered');
    expect(t.events.filter((e) => e.kind === 'relay').map((e) => `${e.dir} ${e.ns}`)).toEqual([
      'request node-1',
      'request node-2',
      'reply node-2',
      'reply node-1',
    ]);
    const encap = t.events.find((e) => e.kind === 'encap' && e.dir === 'request');
    expect(encap?.packet).toMatchObject({
      ip: { src: '192.168.56.11', dst: '192.168.56.12', proto: 17, len: 84 + 28 },
      udp: { sport: 8285, dport: 8285 },
      inner: { ip: { dst: '10.244.1.0' } },
    });
    expect(world.namespaces.get('node-1')!.devices.get('flannel0')!.mtu).toBe(1472);
    const links = dump(world, 'node-1', 'links');
    expect('text' in links && links.text.split('\n')[2]).toBe(
      'flannel0         UNKNOWN        <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP>',
    );
    await expect(formatTraceText(t)).toMatchFileSnapshot('./__golden__/flannel-udp.trace.txt');
  });
});

describe('VXLAN with only default FDB entries', () => {
  it('sends the ARP request and reply themselves inside VXLAN, through netfilter', async () => {
    const { world, t } = traceOf(flannelVxlan(undefined, true), 0);
    expect(t.outcome).toBe('delivered');
    const arp = t.events.filter((e) => e.kind === 'encap' && e.packet?.app?.startsWith('ARP'));
    expect(arp.map((e) => `${e.ns} ${e.packet?.app}`)).toEqual([
      'host-a ARP who-has 10.244.1.0 tell 10.244.0.0',
      'host-b ARP 10.244.1.0 is-at 0a:58:0a:f4:01:00',
    ]);
    const neigh = dump(world, 'host-b', 'neigh');
    expect('text' in neigh && neigh.text).toContain(
      '10.244.0.0 dev flannel.1 lladdr 0a:58:0a:f4:00:00',
    );
    await expect(formatTraceText(t)).toMatchFileSnapshot('./__golden__/vxlan-arp-flood.trace.txt');
  });
});

describe('three hosts on one LAN segment', () => {
  it('crosses the wire straight to the NIC with the destination MAC, both ways', async () => {
    const { world, t } = traceOf(lanLab(), 0);
    expect(t.outcome).toBe('delivered');
    const wires = t.events.filter((e) => e.kind === 'transmit' && e.link === 'wire');
    expect(wires.map((e) => (e.kind === 'transmit' ? `${e.from.ns} → ${e.to.ns}` : ''))).toEqual([
      'h1 → h3',
      'h3 → h1',
    ]);
    // h2 heard the ARP broadcast but learned nothing: it was not asked.
    const h2 = dump(world, 'h2', 'neigh');
    expect('text' in h2 && h2.text).toBe('');
    await expect(formatTraceText(t)).toMatchFileSnapshot('./__golden__/lan-segment.trace.txt');
  });
});
