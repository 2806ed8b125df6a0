import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp4, ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import { conntrackList } from './index';
import { at, box, forward, ping, replyTo, tcp, udp } from './testing';

const NAT = (pre: string, post = '') =>
  `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SVC - [0:0]\n:KUBE-SEP-A - [0:0]\n:KUBE-SEP-B - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n${pre}\n${post}\nCOMMIT\n`;

/** kube-proxy's shape: a service VIP DNATed to one of two endpoints, masquerade on the mark. */
const KUBE = NAT(
  [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SVC',
    '-A KUBE-SVC -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m statistic --mode random --probability 0.5 -j KUBE-SEP-A',
    '-A KUBE-SVC -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SEP-B',
    '-A KUBE-SEP-A -s 10.244.1.3/32 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.244.1.3:8080',
    '-A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 10.244.2.4:8080',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
  ].join('\n'),
  '-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE --random-fully',
);

const ends = (p: Packet) => {
  const l4 = p.l4!;
  const [s, d] = l4.kind === 'icmp' ? [l4.id, l4.id] : [l4.sport, l4.dport];
  return `${formatIp4(p.ip.src)}:${s} > ${formatIp4(p.ip.dst)}:${d}`;
};
const walked = (events: { kind: string; table?: string }[]) =>
  events.some((e) => e.kind === 'netfilter' && e.table === 'nat');

describe('DNAT is decided on the first packet and replayed by conntrack', () => {
  it('first packet walks nat and is DNATed; later packets and replies are translated without walking it', () => {
    const b = box(KUBE);
    const syn = tcp('10.244.0.2', 50471, '10.96.0.10', 80);
    const first = forward(b, syn);
    expect(walked(first.events)).toBe(true);
    const backend = ends(first.packet).split(' > ')[1]!;
    expect(['10.244.1.3:8080', '10.244.2.4:8080']).toContain(backend);
    expect(first.events.find((e) => e.kind === 'nat')).toMatchObject({
      type: 'DNAT',
      hook: 'PREROUTING',
      before: '10.96.0.10:80',
      after: backend,
    });

    const synack = forward(b, replyTo(first.packet), 'eth1', 'eth0');
    expect(walked(synack.events)).toBe(false);
    expect(ends(synack.packet)).toBe('10.96.0.10:80 > 10.244.0.2:50471');
    expect(synack.events.find((e) => e.kind === 'nat')).toMatchObject({
      type: 'de-DNAT',
      hook: 'POSTROUTING',
    });

    // Thousands of later packets all go to the same backend, whatever the RNG says.
    for (let i = 0; i < 20; i++) {
      const ack = forward(b, { ...syn, l4: { ...syn.l4!, flags: 'A' } as never });
      expect(walked(ack.events)).toBe(false);
      expect(ends(ack.packet).split(' > ')[1]).toBe(backend);
    }
    expect(conntrackList(b.state, b.now)).toBe(
      `tcp      6 431999 ESTABLISHED src=10.244.0.2 dst=10.96.0.10 sport=50471 dport=80 src=${backend.replace(':', ' dst=10.244.0.2 sport=').replace(/$/, '')} dport=50471 [ASSURED] mark=0 use=1`,
    );
  });

  it('prints SYN_SENT, SYN_RECV and UNREPLIED as the kernel does, with its default timeouts', () => {
    const b = box(KUBE);
    const syn = tcp('10.244.0.2', 40000, '10.96.0.10', 80);
    const out = forward(b, syn).packet;
    expect(conntrackList(b.state, 0)).toMatch(
      /^tcp {6}6 119 SYN_SENT src=10\.244\.0\.2 .* \[UNREPLIED\] src=10\.244\.[12]\.\d dst=10\.244\.0\.2 sport=8080 dport=40000 mark=0 use=1$/,
    );
    forward(b, replyTo(out), 'eth1', 'eth0');
    expect(conntrackList(b.state, 0)).toMatch(/ 59 SYN_RECV .*dport=40000 mark=0 use=1$/);
    b.now = 100;
    expect(conntrackList(b.state, b.now)).toBe('');
  });

  it('udp and icmp entries: 30 s unreplied, replied but not a stream before 2 s, 120 s ASSURED after', () => {
    const b = box(
      '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n',
    );
    const q = udp('10.244.0.2', 5353, '10.96.0.10', 53);
    forward(b, q);
    expect(conntrackList(b.state, 0)).toBe(
      'udp      17 29 src=10.244.0.2 dst=10.96.0.10 sport=5353 dport=53 [UNREPLIED] src=10.96.0.10 dst=10.244.0.2 sport=53 dport=5353 mark=0 use=1',
    );
    forward(b, replyTo(q), 'eth1', 'eth0');
    expect(conntrackList(b.state, 0)).toMatch(
      /^udp {6}17 29 .*dport=53 src=.* dport=5353 mark=0 use=1$/,
    );
    b.now = 3;
    forward(b, q);
    expect(conntrackList(b.state, 3)).toMatch(/^udp {6}17 119 .* \[ASSURED\] mark=0 use=1$/);
    const p = ping('10.244.0.2', '10.244.0.3', 9);
    forward(b, p);
    forward(b, replyTo(p), 'eth1', 'eth0');
    expect(conntrackList(b.state, 3).split('\n')[1]).toBe(
      'icmp     1 29 src=10.244.0.2 dst=10.244.0.3 type=8 code=0 id=9 src=10.244.0.3 dst=10.244.0.2 type=0 code=0 id=9 mark=0 use=1',
    );
  });

  it('ctstate NEW, ESTABLISHED, INVALID and the DNAT virtual state', () => {
    const b = box(
      KUBE +
        '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\n-A FORWARD -m conntrack --ctstate NEW,DNAT -j LOG --log-prefix new-dnat\n-A FORWARD -m conntrack --ctstate ESTABLISHED -j LOG --log-prefix est\nCOMMIT\n',
    );
    const prefixes = (r: ReturnType<typeof forward>) =>
      r.events
        .filter(
          (e) => e.kind === 'netfilter' && e.matched && e.table === 'filter' && e.rule !== null,
        )
        .map((e) => (e as { rule: string }).rule.split('prefix ')[1]);
    const syn = tcp('10.244.0.2', 40001, '10.96.0.10', 80);
    const f = forward(b, syn);
    expect(prefixes(f)).toEqual(['new-dnat']);
    expect(prefixes(forward(b, replyTo(f.packet), 'eth1', 'eth0'))).toEqual(['new-dnat', 'est']);
    const stray = forward(b, tcp('10.1.1.1', 1, '10.2.2.2', 2, 'SA'));
    expect(stray.verdict).toMatchObject({ kind: 'DROP', chain: 'FORWARD' });
  });
});

describe('SNAT and MASQUERADE', () => {
  const MASQ = NAT('', '-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE');

  it('masquerades to the outgoing address, keeps the port when free, and de-SNATs replies at PREROUTING', () => {
    const b = box(MASQ, ['192.168.0.10']);
    const p = tcp('10.244.0.2', 40000, '1.1.1.1', 443);
    const out = forward(b, p);
    expect(ends(out.packet)).toBe('192.168.0.10:40000 > 1.1.1.1:443');
    const back = forward(b, replyTo(out.packet), 'eth1', 'eth0');
    expect(ends(back.packet)).toBe('1.1.1.1:443 > 10.244.0.2:40000');
    expect(back.events.find((e) => e.kind === 'nat')).toMatchObject({
      type: 'de-SNAT',
      hook: 'PREROUTING',
    });
  });

  it('a second connection whose translated tuple is taken gets another source port (from the seeded RNG)', () => {
    const run = (seed: number) => {
      const b = box(MASQ, ['192.168.0.10'], seed);
      forward(b, tcp('10.244.0.2', 40000, '1.1.1.1', 443));
      return ends(forward(b, tcp('10.244.0.3', 40000, '1.1.1.1', 443)).packet);
    };
    const a = run(1);
    expect(a).toMatch(/^192\.168\.0\.10:\d+ > 1\.1\.1\.1:443$/);
    expect(a).not.toBe('192.168.0.10:40000 > 1.1.1.1:443');
    expect(run(1)).toBe(a);
  });

  it('property: however connections collide, every reply tuple is unique and every reply returns to its sender', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 2, max: 4 }),
            fc.integer({ min: 40000, max: 40003 }),
            fc.boolean(),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.integer(),
        (conns, seed) => {
          const b = box(
            NAT(
              '',
              '-A POSTROUTING -p tcp -m tcp --dport 443 -j SNAT --to-source 192.168.0.10:40000-40007\n-A POSTROUTING -j MASQUERADE',
            ),
            ['192.168.0.10'],
            seed,
          );
          const seen = new Map<string, string>();
          for (const [host, sport, snat] of conns) {
            const p = tcp(`10.244.0.${host}`, sport, '1.1.1.1', snat ? 443 : 80);
            const key = ends(p);
            const out = forward(b, p);
            // More connections than ports in the SNAT range: the kernel drops the one that clashes.
            if (
              out.verdict.kind === 'DROP' &&
              out.verdict.reason?.includes('no free source port')
            ) {
              if (!snat || seen.has(key)) return false;
              continue;
            }
            if (out.verdict.kind !== 'ACCEPT') return false;
            const wire = ends(out.packet);
            if (seen.has(key)) {
              if (seen.get(key) !== wire) return false;
              continue;
            }
            if ([...seen.values()].includes(wire)) return false;
            seen.set(key, wire);
            const back = forward(b, replyTo(out.packet), 'eth1', 'eth0');
            if (ends(back.packet) !== ends(replyTo(p))) return false;
          }
          const replies = b.state.conntrack.map(
            (e) => `${e.reply.src}|${e.reply.dst}|${e.reply.sport}|${e.reply.dport}`,
          );
          return new Set(replies).size === replies.length;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('SNAT to a port range keeps ports inside it, and drops a connection when every port is taken', () => {
    const b = box(NAT('', '-A POSTROUTING -p tcp -j SNAT --to-source 192.168.0.99:2000-2001'));
    const a = forward(b, tcp('10.244.0.2', 5000, '1.1.1.1', 80)).packet;
    const c = forward(b, tcp('10.244.0.3', 5000, '1.1.1.1', 80)).packet;
    const ports = [a, c].map((p) => (p.l4!.kind === 'tcp' ? p.l4!.sport : -1)).sort();
    expect(ports).toEqual([2000, 2001]);
    expect(a.ip.src).toBe(ip4('192.168.0.99'));
    const third = forward(b, tcp('10.244.0.4', 5000, '1.1.1.1', 80));
    expect(third.verdict).toMatchObject({
      kind: 'DROP',
      table: 'nat',
      reason: expect.stringContaining('no free source port'),
    });
  });
});

describe('NAT targets at their hooks', () => {
  it('DNAT in OUTPUT for a local client, de-DNAT of its reply at INPUT', () => {
    const b = box(
      NAT('-A OUTPUT -d 10.96.0.1/32 -p tcp -j DNAT --to-destination 192.168.0.11:6443'),
    );
    const syn = tcp('192.168.0.10', 33000, '10.96.0.1', 443);
    const out = at(b, 'OUTPUT', syn, { outDev: 'eth0' });
    const skb = out.skb;
    const post = at(b, 'POSTROUTING', out.packet, { outDev: 'eth0', skb });
    expect(ends(post.packet)).toBe('192.168.0.10:33000 > 192.168.0.11:6443');
    const r = replyTo(post.packet);
    const s2 = { mark: 0, ct: undefined };
    const pre = at(b, 'PREROUTING', r, { inDev: 'eth0', skb: s2 });
    const inp = at(b, 'INPUT', pre.packet, { inDev: 'eth0', skb: s2 });
    expect(ends(inp.packet)).toBe('10.96.0.1:443 > 192.168.0.10:33000');
    expect(inp.events.find((e) => e.kind === 'nat')).toMatchObject({
      type: 'de-DNAT',
      hook: 'INPUT',
    });
  });

  it('REDIRECT sends to a local port; NOTRACK in raw leaves the packet untracked and un-NATed', () => {
    const b = box(
      NAT('-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 15001') +
        '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp -j NOTRACK\nCOMMIT\n',
      ['192.168.0.10'],
    );
    const r = at(b, 'PREROUTING', tcp('10.0.0.1', 1234, '8.8.8.8', 80), { inDev: 'eth0' });
    expect(ends(r.packet)).toBe('10.0.0.1:1234 > 192.168.0.10:15001');
    const u = at(b, 'PREROUTING', udp('10.0.0.1', 1234, '8.8.8.8', 80), { inDev: 'eth0' });
    expect(u.skb.ct).toBe('untracked');
    expect(u.events.some((e) => e.kind === 'conntrack' && e.action === 'untracked')).toBe(true);
  });

  it('MASQUERADE without an address drops, with a reason', () => {
    const b = box(NAT('', '-A POSTROUTING -j MASQUERADE'), []);
    const r = forward(b, tcp('10.0.0.1', 1, '1.1.1.1', 2));
    expect(r.verdict).toMatchObject({
      kind: 'DROP',
      table: 'nat',
      reason: expect.stringContaining('MASQUERADE'),
    });
  });
});

describe('conntrack -L against the kernel', () => {
  // Recorded on kernel 6.18 (conntrack-tools 1.4.7): a router namespace with
  //   -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.3:8080
  //   -A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.1.3:5353
  //   -A POSTROUTING -d 10.244.1.3/32 -j MASQUERADE
  // a client 10.244.0.2 connecting and querying through it, and `conntrack -L` just after. The
  // kernel lists in hash order; the engine lists oldest first (the lines themselves are exact).
  const RECORDED = [
    'tcp      6 431999 ESTABLISHED src=10.244.0.2 dst=10.96.0.10 sport=41930 dport=80 src=10.244.1.3 dst=10.244.1.1 sport=8080 dport=41930 [ASSURED] mark=0 use=1',
    'udp      17 29 src=10.244.0.2 dst=10.96.0.10 sport=40404 dport=53 src=10.244.1.3 dst=10.244.1.1 sport=5353 dport=40404 mark=0 use=1',
    'udp      17 29 src=10.244.0.2 dst=10.244.0.1 sport=56810 dport=9 [UNREPLIED] src=10.244.0.1 dst=10.244.0.2 sport=9 dport=56810 mark=0 use=1',
  ];
  const AFTER_CLIENT_CLOSE =
    'tcp      6 59 CLOSE_WAIT src=10.244.0.2 dst=10.96.0.10 sport=35716 dport=80 src=10.244.1.3 dst=10.244.1.1 sport=8080 dport=35716 [ASSURED] mark=0 use=1';

  const router = () =>
    box(
      NAT(
        '-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.3:8080\n-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.1.3:5353',
        '-A POSTROUTING -d 10.244.1.3/32 -j MASQUERADE',
      ),
      ['10.244.1.1'],
    );
  const handshake = (b: ReturnType<typeof router>, sport: number) => {
    const syn = tcp('10.244.0.2', sport, '10.96.0.10', 80);
    const out = forward(b, syn, 'r0', 'r1').packet;
    forward(b, replyTo(out), 'r1', 'r0');
    forward(b, { ...syn, l4: { ...syn.l4!, flags: 'A' } as never }, 'r0', 'r1');
    return { syn, out };
  };

  it('prints the same lines for the same traffic', () => {
    const b = router();
    handshake(b, 41930);
    const q = udp('10.244.0.2', 40404, '10.96.0.10', 53);
    forward(b, replyTo(forward(b, q, 'r0', 'r1').packet), 'r1', 'r0');
    forward(b, udp('10.244.0.2', 56810, '10.244.0.1', 9), 'r0', 'r1');
    expect(conntrackList(b.state, b.now).split('\n')).toEqual(RECORDED);
  });

  it('goes to CLOSE_WAIT when the client closes and the server acknowledges', () => {
    const b = router();
    const { syn, out } = handshake(b, 35716);
    forward(b, { ...syn, l4: { ...syn.l4!, flags: 'FA' } as never }, 'r0', 'r1');
    forward(b, replyTo(out, 'A'), 'r1', 'r0');
    expect(conntrackList(b.state, b.now)).toBe(AFTER_CLIENT_CLOSE);
  });
});

describe('ICMP errors are RELATED and NATed back', () => {
  it("a backend's port-unreachable reaches the client about the service address it used", () => {
    const b = box(
      NAT(
        '-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.1.3:53',
        '-A POSTROUTING -d 10.244.1.3/32 -j MASQUERADE',
      ) +
        '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate RELATED -j ACCEPT\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n',
      ['10.244.1.1'],
    );
    const q = udp('10.244.0.2', 5353, '10.96.0.10', 53);
    const sent = forward(b, q, 'r0', 'r1').packet;
    expect(ends(sent)).toBe('10.244.1.1:5353 > 10.244.1.3:53');
    const err: Packet = {
      ip: { src: ip4('10.244.1.3'), dst: ip4('10.244.1.1'), proto: 1, ttl: 64, len: 56 },
      l4: { kind: 'icmp', type: 3, code: 3, id: 0, seq: 0 },
      inner: { ip: sent.ip, l4: sent.l4!, payloadLen: 0 },
      payloadLen: 28,
    };
    const back = forward(b, err, 'r1', 'r0');
    expect(back.verdict.kind).toBe('ACCEPT');
    expect(back.events.find((e) => e.kind === 'conntrack')).toMatchObject({
      action: 'hit',
      state: 'RELATED',
    });
    expect([formatIp4(back.packet.ip.src), formatIp4(back.packet.ip.dst)]).toEqual([
      '10.96.0.10',
      '10.244.0.2',
    ]);
    expect(ends(back.packet.inner!)).toBe('10.244.0.2:5353 > 10.96.0.10:53');
    const stray = forward(
      b,
      { ...err, inner: { ...err.inner!, ip: { ...err.inner!.ip, src: ip4('9.9.9.9') } } },
      'r1',
      'r0',
    );
    expect(stray.verdict.kind).toBe('DROP');
  });
});

describe('what switches conntrack on (checked on kernel 6.18, iptables-nft 1.8.9)', () => {
  // One UDP datagram into a namespace holding only the rules below, then `conntrack -L`.
  it.each([
    ['*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\nCOMMIT\n', 0],
    ['*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-X - [0:0]\n-A KUBE-X -j ACCEPT\nCOMMIT\n', 0],
    ['*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j CT --notrack\nCOMMIT\n', 0],
    ['*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j NOTRACK\nCOMMIT\n', 0],
    ['*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n', 0],
    ['*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n', 1],
    ['*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o lo -j MASQUERADE\nCOMMIT\n', 1],
    [
      '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 1.2.3.4/32 -j DNAT --to-destination 5.6.7.8\nCOMMIT\n',
      1,
    ],
    ['*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j REDIRECT --to-ports 1\nCOMMIT\n', 1],
  ])('%j → %i entries', (rules, entries) => {
    const b = box(rules, ['192.168.7.2']);
    const p = udp('192.168.7.1', 54439, '192.168.7.2', 9999);
    const skb = { mark: 0, ct: undefined };
    at(b, 'PREROUTING', p, { inDev: 'b0', skb });
    at(b, 'INPUT', p, { inDev: 'b0', skb });
    expect(b.state.conntrack.length).toBe(entries);
  });
});

describe('property: a load-balanced service behaves like one connection per client', () => {
  it('every packet of a connection reaches the backend its first packet chose, and every reply comes back from the VIP', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 5 }),
            fc.constantFrom('S', 'A', 'PA', 'FA'),
            fc.boolean(),
          ),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.integer(),
        (backends, steps, seed) => {
          const sep = Array.from({ length: backends }, (_, i) => `:KUBE-SEP-${i} - [0:0]`).join(
            '\n',
          );
          const svc = Array.from({ length: backends }, (_, i) => {
            const left = backends - i;
            const stat =
              left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(11)}` : '';
            return `-A KUBE-SVC${stat} -j KUBE-SEP-${i}\n-A KUBE-SEP-${i} -p tcp -m tcp -j DNAT --to-destination 10.244.${i + 1}.9:8080`;
          }).join('\n');
          const rules = `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SVC - [0:0]\n${sep}\n-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC\n${svc}\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n`;
          const b = box(rules, ['192.168.0.10'], seed);
          const chosen = new Map<number, string>();
          const line =
            /^tcp {6}6 \d+ (SYN_SENT|SYN_RECV|ESTABLISHED|FIN_WAIT|CLOSE_WAIT|LAST_ACK|TIME_WAIT|CLOSE) src=\S+ dst=10\.96\.0\.10 sport=\d+ dport=80( \[UNREPLIED\])? src=10\.244\.\d\.9 dst=192\.168\.0\.10 sport=8080 dport=\d+( \[ASSURED\])? mark=0 use=1$/;
          for (const [client, flags, reply] of steps) {
            const first = !chosen.has(client);
            const p = tcp(
              `10.0.0.${client + 1}`,
              30000 + client,
              '10.96.0.10',
              80,
              first ? 'S' : flags,
            );
            const out = forward(b, p);
            if (out.verdict.kind !== 'ACCEPT') return false;
            const dst = ends(out.packet).split(' > ')[1]!;
            if (first) chosen.set(client, dst);
            else if (chosen.get(client) !== dst) return false;
            if (reply) {
              const back = forward(b, replyTo(out.packet, first ? 'SA' : 'A'), 'eth1', 'eth0');
              if (ends(back.packet) !== ends(replyTo(p))) return false;
            }
          }
          return conntrackList(b.state, b.now)
            .split('\n')
            .every((l) => line.test(l));
        },
      ),
      { numRuns: 150 },
    );
  });
});
