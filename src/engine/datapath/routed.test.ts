import { describe, expect, it } from 'vitest';
import { buildLabWorld, labMac } from '../kube/lab-world';
import { routedLab } from '../kube/labs';
import type { LabModel, LabNamespace } from '../kube/lab-model';
import { labFlowSpec } from '../sim/flows';
import { trace } from '../sim/trace';

function run(lab: LabModel, flow = 0, to?: string) {
  const spec = { ...lab.flows[flow]!, ...(to ? { to } : {}) };
  return trace(buildLabWorld(lab), labFlowSpec(spec)!, 1);
}

const onRouter = (f: (n: LabNamespace) => LabNamespace) => (n: LabNamespace) =>
  n.name === 'router' ? f(n) : n;

const drops = (t: ReturnType<typeof run>) =>
  t.events.flatMap((e) => (e.kind === 'drop' ? [`${e.ns} ${e.reason}: ${e.message}`] : []));

describe('a routed hop', () => {
  it('decrements the TTL once and walks FORWARD on the router, both ways', () => {
    const t = run(routedLab());
    expect(t.outcome).toBe('delivered');
    const ttls = t.events.flatMap((e) => (e.kind === 'deliver' ? [e.packet?.ip.ttl] : []));
    expect(ttls).toEqual([63, 63]);
    const forwards = t.events.filter((e) => e.kind === 'hook' && e.hook === 'FORWARD');
    expect(forwards.map((e) => `${e.dir} ${e.ns}`)).toEqual(['request router', 'reply router']);
  });

  it('with ip_forward=0 the router drops what is not for itself', () => {
    const t = run(routedLab(onRouter((n) => ({ ...n, sysctls: {} }))));
    expect(t.outcome).toBe('dropped');
    expect(drops(t)).toEqual([
      'router forwarding-off: net.ipv4.ip_forward=0 on router: the packet is not for this host and is not forwarded',
    ]);
  });

  it('answers a closed UDP port with ICMP port unreachable, a closed TCP port with RST', () => {
    const udp = run(routedLab(), 1, 'ip:10.0.2.2:54');
    expect(udp.outcome).toBe('refused');
    const icmp = udp.events.find((e) => e.kind === 'send' && e.dir === 'reply');
    expect(icmp?.packet?.icmp).toMatchObject({ type: 3, code: 3 });
    expect(icmp?.packet?.inner?.udp?.dport).toBe(54);
    const tcp = run(routedLab(), 0, 'ip:10.0.2.2:81');
    expect(tcp.events.find((e) => e.kind === 'send' && e.dir === 'reply')?.packet?.tcp?.flags).toBe(
      'RA',
    );
    expect(tcp.events.at(-1)).toMatchObject({ kind: 'deliver', ns: 'client' });
  });

  it('an unreachable route answers host unreachable, prohibit admin-prohibited, blackhole nothing', () => {
    const withRoute = (type: 'unreachable' | 'prohibit' | 'blackhole') =>
      run(routedLab(onRouter((n) => ({ ...n, routes: [{ to: '10.0.2.2', type }] }))));
    for (const [type, code] of [
      ['unreachable', 1],
      ['prohibit', 13],
    ] as const) {
      const t = withRoute(type);
      expect(t.outcome).toBe('no-route');
      const err = t.events.find((e) => e.kind === 'send' && e.dir === 'reply');
      expect(err?.packet?.icmp).toMatchObject({ type: 3, code });
      expect(err?.packet?.ip.src).toBe('10.0.1.1');
    }
    const hole = withRoute('blackhole');
    expect(hole.outcome).toBe('dropped');
    expect(hole.events.some((e) => e.dir === 'reply')).toBe(false);
  });

  it('a routing loop ends in TTL exceeded, and the ICMP error finds its way back', () => {
    // Router and server each send 10.0.9.0/24 to the other; neither is the packet's source.
    const lab = routedLab((n) =>
      n.name === 'router'
        ? { ...n, routes: [{ to: '10.0.9.0/24', via: '10.0.2.2' }] }
        : n.name === 'server'
          ? {
              ...n,
              sysctls: { 'net.ipv4.ip_forward': '1' },
              routes: [...n.routes, { to: '10.0.9.0/24', via: '10.0.2.1' }],
            }
          : n,
    );
    const t = run(lab, 2, 'ip:10.0.9.9');
    expect(t.outcome).toBe('ttl-exceeded');
    const hops = t.events.filter(
      (e) => e.kind === 'hook' && e.hook === 'FORWARD' && e.dir === 'request',
    );
    expect(hops).toHaveLength(63);
    expect(drops(t)[0]).toMatch(/TTL exceeded/);
    const err = t.events.find((e) => e.kind === 'send' && e.dir === 'reply');
    expect(err?.packet?.icmp).toMatchObject({ type: 11, code: 0 });
    expect(t.events.at(-1)).toMatchObject({ kind: 'deliver', ns: 'client' });
  });

  it('a host drops its own packet when a loop brings it back (martian source)', () => {
    const lab = routedLab((n) =>
      n.name === 'router'
        ? { ...n, routes: [{ to: '10.0.9.0/24', via: '10.0.1.2' }] }
        : n.name === 'client'
          ? { ...n, sysctls: { 'net.ipv4.ip_forward': '1' } }
          : n,
    );
    const t = run(lab, 2, 'ip:10.0.9.9');
    expect(t.outcome).toBe('dropped');
    expect(drops(t)).toEqual([
      expect.stringMatching(
        /^client martian: martian source .* 10\.0\.1\.2 is this host's own address$/,
      ),
    ]);
  });

  it('strict rp_filter drops a packet whose way back leaves by another device; loose lets it in', () => {
    // The router believes 10.0.1.2 lies behind eth1.
    const asym = (rp: string, staticNeigh: boolean) =>
      routedLab((n) =>
        n.name === 'router'
          ? {
              ...n,
              sysctls: { ...n.sysctls, 'net.ipv4.conf.all.rp_filter': rp },
              routes: [{ to: '10.0.1.2', via: '10.0.2.2', dev: 'eth1' }],
            }
          : n.name === 'client' && staticNeigh
            ? { ...n, neighbours: [{ ip: '10.0.1.1', mac: labMac('router', 'eth0'), dev: 'eth0' }] }
            : n,
      );
    // Strict mode ignores the client's ARP request as well: nobody answers it.
    const unanswered = run(asym('1', false), 2);
    expect(unanswered.outcome).toBe('unreachable');
    expect(unanswered.events.find((e) => e.kind === 'arp')).toMatchObject({ how: 'failed' });
    // With the router's MAC known, the packet itself is dropped after PREROUTING.
    const strict = run(asym('1', true), 2);
    expect(strict.outcome).toBe('dropped');
    expect(drops(strict)[0]).toMatch(/^router rp-filter: /);
    const loose = run(asym('2', false), 2);
    expect(drops(loose).filter((d) => d.includes('rp-filter'))).toEqual([]);
  });

  it('proxy ARP: the router answers for a host behind it that the client thinks is on its link', () => {
    const lab = routedLab((n) =>
      n.name === 'client'
        ? {
            ...n,
            interfaces: n.interfaces.map((i) => ({ ...i, addresses: ['10.0.1.2/16'] })),
            routes: [],
          }
        : n.name === 'router'
          ? { ...n, sysctls: { ...n.sysctls, 'net.ipv4.conf.eth0.proxy_arp': '1' } }
          : n,
    );
    const t = run(lab, 2);
    expect(t.outcome).toBe('delivered');
    expect(t.events.find((e) => e.kind === 'arp')).toMatchObject({
      ns: 'client',
      ip: '10.0.2.2',
      how: 'proxy',
    });
  });
});

describe('loops that no TTL ends', () => {
  it('two bridges whose FDBs point at each other end with outcome loop and say where', () => {
    // br0 in sw1 and br1 in sw2, joined by a veth pair; each believes test2's MAC is behind
    // the other. A bridged frame keeps its TTL, so only the step budget ends it.
    const lab: LabModel = {
      name: 'l2-loop',
      namespaces: [
        {
          name: 'a',
          sysctls: {},
          interfaces: [{ name: 'eth0', type: 'veth', addresses: ['10.0.0.1/24'], peer: 'sw1/p-a' }],
          routes: [],
          neighbours: [{ ip: '10.0.0.2', mac: '02:00:00:00:00:02', dev: 'eth0' }],
          listeners: [],
        },
        {
          name: 'sw1',
          sysctls: {},
          interfaces: [
            { name: 'br0', type: 'bridge', addresses: [] },
            { name: 'p-a', type: 'veth', addresses: [], master: 'br0' },
            { name: 'up', type: 'veth', addresses: [], master: 'br0', peer: 'sw2/down' },
          ],
          routes: [],
          neighbours: [],
          listeners: [],
        },
        {
          name: 'sw2',
          sysctls: {},
          interfaces: [
            { name: 'br1', type: 'bridge', addresses: [] },
            { name: 'down', type: 'veth', addresses: [], master: 'br1' },
          ],
          routes: [],
          neighbours: [],
          listeners: [],
        },
      ],
      flows: [{ from: 'node:a', to: 'ip:10.0.0.2', proto: 'icmp' }],
    };
    const world = buildLabWorld(lab);
    const mac = '02:00:00:00:00:02' as never;
    world.namespaces.get('sw1')!.fdb.get('br0')!.set(mac, { port: 'up', local: false });
    // Hairpin on both ends of the link between them sends the frame back up the same veth.
    world.namespaces.get('sw2')!.devices.get('down')!.hairpin = true;
    world.namespaces.get('sw1')!.devices.get('up')!.hairpin = true;
    world.namespaces.get('sw2')!.fdb.get('br1')!.set(mac, { port: 'down', local: false });
    const t = trace(world, labFlowSpec(lab.flows[0]!)!, 1);
    expect(t.outcome).toBe('loop');
    const last = t.events.at(-1)!;
    const message = last.kind === 'drop' ? last.message : '';
    expect(message).toMatch(/^the packet is going round in a loop \(1000 steps/);
    expect(message).toContain('sw1:up');
    expect(message).toContain('sw2:down');
  });
});
