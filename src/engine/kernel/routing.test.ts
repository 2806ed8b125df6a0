import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidr4, ip4, maskOf, type Ip4 } from '../wire/ip';
import { addAddress, addDevice, addRoute, createNetns } from './netns';
import { formatRoute, route, RouteTable } from './routing';
import { lookupRoute } from '../datapath/route';

function testNs() {
  const ns = createNetns('test1', 'test1', 'host');
  addDevice(ns, 'veth-test1', 'veth', null);
  addAddress(ns, 'veth-test1', ip4('192.168.1.1'), cidr4('192.168.1.0/24'));
  return ns;
}

describe('routing tables', () => {
  it('ip addr add fills the local table and the connected route as the kernel does', () => {
    const ns = testNs();
    expect(ns.tables.main.routes.map((r) => formatRoute(r, 'main'))).toEqual([
      '192.168.1.0/24 dev veth-test1 proto kernel scope link src 192.168.1.1',
    ]);
    expect(ns.tables.local.routes.map((r) => formatRoute(r, 'local'))).toEqual([
      'local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1',
      'local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1',
      'broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1',
      'local 192.168.1.1 dev veth-test1 table local proto kernel scope host src 192.168.1.1',
      'broadcast 192.168.1.255 dev veth-test1 table local proto kernel scope link src 192.168.1.1',
    ]);
  });

  it('longest prefix wins, then the lowest metric; the local table comes first', () => {
    const ns = testNs();
    addRoute(ns, route({ dst: cidr4('0.0.0.0/0'), via: ip4('192.168.1.2'), dev: 'veth-test1' }));
    addRoute(
      ns,
      route({
        dst: cidr4('10.2.0.0/24'),
        via: ip4('192.168.1.2'),
        dev: 'veth-test1',
        metric: 100,
        onlink: true,
      }),
    );
    addRoute(
      ns,
      route({ dst: cidr4('10.2.0.0/24'), via: ip4('192.168.1.3'), dev: 'veth-test1', metric: 50 }),
    );
    addRoute(ns, route({ type: 'blackhole', dst: cidr4('10.1.0.0/16') }));
    expect(formatRoute(lookupRoute(ns, ip4('10.2.0.9')).route!)).toBe(
      '10.2.0.0/24 via 192.168.1.3 dev veth-test1 metric 50',
    );
    expect(formatRoute(lookupRoute(ns, ip4('8.8.8.8')).route!)).toBe(
      'default via 192.168.1.2 dev veth-test1',
    );
    expect(lookupRoute(ns, ip4('10.1.2.3')).route?.type).toBe('blackhole');
    expect(lookupRoute(ns, ip4('192.168.1.1')).table.name).toBe('local');
    expect(
      formatRoute(route({ dst: cidr4('10.3.0.0/16'), dev: 'veth-test1', proto: 'boot' })),
    ).toBe('10.3.0.0/16 dev veth-test1');
    expect(formatRoute(ns.tables.main.routes[2]!)).toBe(
      '10.2.0.0/24 via 192.168.1.2 dev veth-test1 metric 100 onlink',
    );
  });
});

describe('longest-prefix match (property)', () => {
  it('picks the longest matching prefix, then the lowest metric, then the first added', () => {
    const prefix = fc
      .record({
        addr: fc.integer({ min: 0, max: 0xffffffff }),
        len: fc.integer({ min: 0, max: 32 }),
      })
      .map(({ addr, len }) => ({ addr: ((addr & maskOf(len)) >>> 0) as Ip4, len }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ dst: prefix, metric: fc.integer({ min: 0, max: 3 }) }), {
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (routes, target) => {
          const table = new RouteTable('main', 254);
          const added = routes.map((r) => route(r));
          added.forEach((r) => table.add(r));
          const dst = target as Ip4;
          // Brute force: every route covering dst, ranked; ties keep insertion order.
          const covering = added.filter(
            (r) => r.dst.len === 0 || dst >>> (32 - r.dst.len) === r.dst.addr >>> (32 - r.dst.len),
          );
          const best = [...covering].sort(
            (a, b) => b.dst.len - a.dst.len || a.metric - b.metric,
          )[0];
          expect(table.lookup(dst)).toBe(best);
        },
      ),
      { numRuns: 300 },
    );
  });
});
