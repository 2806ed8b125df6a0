import { describe, expect, it } from 'vitest';
import { ip4 } from '../wire/ip';
import { INDEX, chainIndex } from './match';
import { addMember, createSet } from './ipset';
import { restore } from './restore';
import { at, box, ping, tcp, udp } from './testing';

const filter = (rules: string) =>
  `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:X - [0:0]\n${rules}\nCOMMIT\n`;

/** The verdict of INPUT for one packet, with the given rules. */
function verdictOf(rules: string, p = tcp('10.0.0.1', 40000, '192.168.0.10', 80), o = {}) {
  const b = box(filter(rules));
  return at(b, 'INPUT', p, { inDev: 'eth0', ...o }).verdict.kind;
}

describe('matches', () => {
  it.each([
    ['-A INPUT -s 10.0.0.0/8 -j DROP', 'DROP'],
    ['-A INPUT ! -s 10.0.0.0/8 -j DROP', 'ACCEPT'],
    ['-A INPUT -d 192.168.0.10/32 -p tcp -j DROP', 'DROP'],
    ['-A INPUT -p udp -j DROP', 'ACCEPT'],
    ['-A INPUT ! -p udp -j DROP', 'DROP'],
    ['-A INPUT -i eth+ -j DROP', 'DROP'],
    ['-A INPUT -i eth1 -j DROP', 'ACCEPT'],
    ['-A INPUT ! -i lo -j DROP', 'DROP'],
    ['-A INPUT -p tcp --dport 80 -j DROP', 'DROP'],
    ['-A INPUT -p tcp --dport 81:90 -j DROP', 'ACCEPT'],
    ['-A INPUT -p tcp --sport 30000:50000 -j DROP', 'DROP'],
    ['-A INPUT -p tcp ! --dport 80 -j DROP', 'ACCEPT'],
    ['-A INPUT -p tcp -m multiport --dports 22,80,443 -j DROP', 'DROP'],
    ['-A INPUT -p tcp -m multiport ! --dports 22,443 -j DROP', 'DROP'],
    ['-A INPUT -p tcp -m multiport --sports 22,443 -j DROP', 'ACCEPT'],
    ['-A INPUT -p tcp --syn -j DROP', 'DROP'],
    ['-A INPUT -p tcp ! --syn -j DROP', 'ACCEPT'],
    ['-A INPUT -m comment --comment "any text" -j DROP', 'DROP'],
    ['-A INPUT -m addrtype --dst-type LOCAL -j DROP', 'DROP'],
    ['-A INPUT -m addrtype --src-type LOCAL -j DROP', 'ACCEPT'],
    ['-A INPUT -m addrtype ! --src-type LOCAL -j DROP', 'DROP'],
    ['-A INPUT -m mark --mark 0x0 -j DROP', 'DROP'],
    ['-A INPUT -m mark --mark 0x4000/0x4000 -j DROP', 'ACCEPT'],
    [
      '-A INPUT -j MARK --set-xmark 0x4000/0x4000\n-A INPUT -m mark --mark 0x4000/0x4000 -j DROP',
      'DROP',
    ],
    [
      '-A INPUT -j MARK --or-mark 0x1\n-A INPUT -j MARK --xor-mark 0x1\n-A INPUT -m mark --mark 0x0 -j DROP',
      'DROP',
    ],
    ['-A INPUT -m statistic --mode random --probability 1 -j DROP', 'DROP'],
    ['-A INPUT -m statistic --mode random --probability 0 -j DROP', 'ACCEPT'],
    ['-A INPUT -m physdev --physdev-is-bridged -j DROP', 'ACCEPT'],
    ['-A INPUT -m physdev ! --physdev-is-bridged -j DROP', 'DROP'],
    ['-A INPUT -j X\n-A X -s 10.0.0.1/32 -j RETURN\n-A X -j DROP', 'ACCEPT'],
    ['-A INPUT -g X\n-A INPUT -j DROP\n-A X -s 1.1.1.1/32 -j ACCEPT', 'ACCEPT'],
    ['-A INPUT -j X\n-A INPUT -j DROP\n-A X -s 1.1.1.1/32 -j ACCEPT', 'DROP'],
    ['-A INPUT -j LOG --log-prefix "x: "\n-A INPUT -j REJECT', 'REJECT'],
  ])('%s → %s', (rules, verdict) => {
    expect(verdictOf(rules)).toBe(verdict);
  });

  it('physdev sees the bridge ports of a bridged frame', () => {
    const rules =
      '-A FORWARD -m physdev --physdev-in veth+ --physdev-out vethb --physdev-is-bridged -j DROP';
    const b = box(filter(rules));
    const p = tcp('10.244.0.2', 40000, '10.244.0.3', 80);
    const o = {
      inDev: 'cni0',
      outDev: 'cni0',
      family: 'bridge' as const,
      physIn: 'vetha',
      physOut: 'vethb',
    };
    expect(at(b, 'FORWARD', p, o).verdict.kind).toBe('DROP');
    expect(at(b, 'FORWARD', p, { ...o, physOut: 'vethc' }).verdict.kind).toBe('ACCEPT');
  });

  it('addrtype --limit-iface-in asks about the incoming device only', () => {
    const b = box(filter('-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j DROP'));
    const p = tcp('10.0.0.1', 1, '192.168.0.10', 80);
    const devAddrs = { eth0: ['10.0.0.254'], eth1: ['192.168.0.10'] };
    expect(at(b, 'INPUT', p, { inDev: 'eth1', devAddrs }).verdict.kind).toBe('DROP');
    expect(at(b, 'INPUT', p, { inDev: 'eth0', devAddrs }).verdict.kind).toBe('ACCEPT');
  });

  it('REJECT says with what', () => {
    const b = box(filter('-A INPUT -p tcp -j REJECT --reject-with tcp-reset'));
    expect(at(b, 'INPUT', tcp('10.0.0.1', 1, '192.168.0.10', 2)).verdict).toMatchObject({
      kind: 'REJECT',
      with: 'tcp-reset',
      chain: 'INPUT',
    });
  });

  it('set matches test the packet dimension by dimension, and never with too few flags', () => {
    const b = box('');
    const s = createSet('KUBE-CLUSTER-IP', 'hash:ip,port');
    addMember(s, '10.96.0.10,udp:53');
    b.state.sets.set(s.name, s);
    const rules = filter(
      '-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j DROP\n-A INPUT -m set --match-set KUBE-CLUSTER-IP dst -j REJECT',
    );
    expect(restore(b.state, rules, 't')).toEqual([]);
    expect(at(b, 'INPUT', udp('10.244.0.2', 5000, '10.96.0.10', 53)).verdict.kind).toBe('DROP');
    expect(at(b, 'INPUT', udp('10.244.0.2', 5000, '10.96.0.10', 54)).verdict.kind).toBe('ACCEPT');
    expect(at(b, 'INPUT', tcp('10.244.0.2', 5000, '10.96.0.10', 53)).verdict.kind).toBe('ACCEPT');
  });

  it('statistic random draws from the seeded RNG: same seed, same choices, about P of them', () => {
    const rules = '-A INPUT -m statistic --mode random --probability 0.33333333349 -j DROP';
    const run = (seed: number) => {
      const b = box(filter(rules), undefined, seed);
      return Array.from(
        { length: 3000 },
        (_, i) => at(b, 'INPUT', tcp('10.0.0.1', 1000 + i, '192.168.0.10', 80)).verdict.kind,
      );
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
    const share = a.filter((v) => v === 'DROP').length / a.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.37);
  });

  it('statistic nth matches every n-th packet', () => {
    const b = box(filter('-A INPUT -m statistic --mode nth --every 3 --packet 0 -j DROP'));
    const v = Array.from(
      { length: 6 },
      () => at(b, 'INPUT', ping('10.0.0.1', '192.168.0.10')).verdict.kind,
    );
    expect(v).toEqual(['ACCEPT', 'ACCEPT', 'DROP', 'ACCEPT', 'ACCEPT', 'DROP']);
  });

  it('recent: --set then --rcheck --seconds --hitcount, per source, on the injected clock', () => {
    const b = box(
      filter(
        '-A INPUT -p tcp --dport 22 -m recent --set --name SSH --rsource\n-A INPUT -p tcp --dport 22 -m recent --rcheck --seconds 60 --hitcount 3 --name SSH --rsource -j DROP',
      ),
    );
    const knock = (src: string) => at(b, 'INPUT', tcp(src, 40000, '192.168.0.10', 22)).verdict.kind;
    expect([knock('10.0.0.1'), knock('10.0.0.1'), knock('10.0.0.1')]).toEqual([
      'ACCEPT',
      'ACCEPT',
      'DROP',
    ]);
    expect(knock('10.0.0.2')).toBe('ACCEPT');
    b.now = 61;
    expect(knock('10.0.0.1')).toBe('ACCEPT');
    expect(b.state.recent.get('SSH')?.entries.get(ip4('10.0.0.1'))?.stamps.length).toBe(4);
  });

  it('recent --update refreshes only on a hit; --remove forgets; --mask groups sources', () => {
    const b = box(
      filter(
        '-A INPUT -p udp -m recent --set --name N --mask 255.255.255.0\n-A INPUT -p tcp --dport 1 -m recent --update --seconds 10 --name N --mask 255.255.255.0 -j DROP\n-A INPUT -p tcp --dport 2 -m recent --remove --name N --mask 255.255.255.0',
      ),
    );
    const send = (p: ReturnType<typeof tcp>) => at(b, 'INPUT', p).verdict.kind;
    expect(send(tcp('10.0.0.9', 1, '192.168.0.10', 1))).toBe('ACCEPT');
    send(udp('10.0.0.1', 1, '192.168.0.10', 53));
    b.now = 5;
    expect(send(tcp('10.0.0.9', 1, '192.168.0.10', 1))).toBe('DROP');
    b.now = 14;
    expect(send(tcp('10.0.0.9', 1, '192.168.0.10', 1))).toBe('DROP');
    send(tcp('10.0.0.7', 1, '192.168.0.10', 2));
    expect(send(tcp('10.0.0.9', 1, '192.168.0.10', 1))).toBe('ACCEPT');
  });
});

describe('chain walk events', () => {
  it('reports unmatched runs as one event with a range, matched rules one by one', () => {
    const rules = Array.from(
      { length: 40 },
      (_, i) => `-A INPUT -d 10.96.0.${i + 1}/32 -p tcp -m tcp --dport 80 -j X`,
    ).join('\n');
    const b = box(filter(`${rules}\n-A X -j ACCEPT`));
    const r = at(b, 'INPUT', tcp('10.0.0.1', 1, '10.96.0.30', 80));
    expect(
      r.events.map((e) =>
        e.kind === 'netfilter' ? [e.chain, e.index, e.matched, e.range ?? null] : e.kind,
      ),
    ).toEqual([
      ['INPUT', 1, false, [1, 29]],
      ['INPUT', 30, true, null],
      ['X', 1, true, null],
    ]);
  });

  it('the destination index gives the same verdicts and events as a plain walk', () => {
    const mk = (n: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          `-A INPUT -d 10.96.${i >> 8}.${i & 255}/32 -p tcp -m tcp --dport ${80 + (i % 3)} -j X`,
      )
        .concat(['-A INPUT -p udp -j DROP', '-A INPUT -d 10.96.0.5/32 -j REJECT'])
        .join('\n');
    const big = box(filter(`${mk(300)}\n-A X -j DROP`));
    for (const [dst, port] of [
      ['10.96.0.5', 82],
      ['10.96.0.5', 80],
      ['10.96.1.10', 80],
      ['10.96.9.9', 80],
    ] as const) {
      const withIndex = at(big, 'INPUT', tcp('10.0.0.1', 1, dst, port));
      // The same rules, walked rule by rule.
      INDEX.min = Infinity;
      const p = at(big, 'INPUT', tcp('10.0.0.1', 1, dst, port));
      INDEX.min = 32;
      expect(withIndex.events).toEqual(p.events);
      expect(withIndex.verdict).toEqual(p.verdict);
    }
    expect(chainIndex(big.state.tables.get('filter')!.chains.get('INPUT')!)).not.toBeNull();
  });
});
