import { describe, expect, it } from 'vitest';
import { createRng } from '../sim/rng';
import { formatIp4, ip4 } from '../wire/ip';
import {
  addDest,
  addService,
  createIpvs,
  ipvsadmList,
  ipvsIn,
  ipvsOut,
  ipvsRestore,
  schedule,
} from './ipvs';
import { at, box, replyTo, tcp, udp } from './testing';

describe('ipvsadm -Ln', () => {
  it('prints as ipvsadm 1.31 does (services and real servers sorted, fixed-width columns)', () => {
    const s = createIpvs();
    expect(
      ipvsRestore(
        s,
        '-A -u 10.96.0.10:53 -s rr\n-a -u 10.96.0.10:53 -r 10.244.1.3:53 -m -w 1\n-A -t 10.96.0.1:443 -s rr\n-a -t 10.96.0.1:443 -r 192.168.0.11:6443 -m -w 1\n-A -t 10.96.0.10:53 -s rr -p 10800\n-a -t 10.96.0.10:53 -r 10.244.2.4:53 -m -w 1\n-a -t 10.96.0.10:53 -r 10.244.1.3:53 -m -w 1\n',
        'ipvs',
      ),
    ).toEqual([]);
    expect(ipvsadmList(s)).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  10.96.0.1:443 rr',
        '  -> 192.168.0.11:6443            Masq    1      0          0         ',
        'TCP  10.96.0.10:53 rr persistent 10800',
        '  -> 10.244.1.3:53                Masq    1      0          0         ',
        '  -> 10.244.2.4:53                Masq    1      0          0         ',
        'UDP  10.96.0.10:53 rr',
        '  -> 10.244.1.3:53                Masq    1      0          0         ',
      ].join('\n'),
    );
  });
});

describe('schedulers', () => {
  const svc = (sched: 'rr' | 'wrr' | 'lc' | 'sh', weights: number[]) => {
    const s = createIpvs();
    const v = addService(s, { proto: 'TCP', vip: ip4('10.96.0.1'), port: 80, scheduler: sched });
    weights.forEach((w, i) => addDest(v, { ip: ip4(`10.244.0.${i + 1}`), port: 80, weight: w }));
    return { s, v };
  };
  const picks = (
    sched: 'rr' | 'wrr' | 'lc' | 'sh',
    weights: number[],
    n: number,
    client = (i: number) => `10.0.0.${i % 250}`,
  ) => {
    const { v } = svc(sched, weights);
    const rng = createRng(1);
    return Array.from(
      { length: n },
      (_, i) => formatIp4(schedule(v, ip4(client(i)), rng)!.ip).split('.')[3],
    ).join('');
  };

  it('rr cycles and skips weight 0; wrr interleaves by weight', () => {
    expect(picks('rr', [1, 1, 1], 6)).toBe('123123');
    expect(picks('rr', [1, 0, 1], 4)).toBe('1313');
    expect(picks('wrr', [3, 1], 8)).toBe('11121112');
  });

  it('sh sends a source to the same server every time', () => {
    const a = picks('sh', [1, 1, 1], 5, () => '10.0.0.7');
    expect(new Set(a).size).toBe(1);
    expect(new Set(picks('sh', [1, 1, 1], 50)).size).toBeGreaterThan(1);
  });

  it('lc picks the server with the fewest connections', () => {
    const { s, v } = svc('lc', [1, 1]);
    const rng = createRng(1);
    v.dests[0]!.activeConns = 2;
    const r = ipvsIn(s, tcp('10.0.0.1', 1000, '10.96.0.1', 80), { rng, now: 0 });
    expect(r.kind === 'forward' && formatIp4(r.dest.ip)).toBe('10.244.0.2');
  });
});

describe('ip_vs_in / ip_vs_out', () => {
  it('masquerade rewrites the request, keeps the connection on its server, and un-rewrites the reply', () => {
    const s = createIpvs();
    const v = addService(s, { proto: 'TCP', vip: ip4('10.96.0.1'), port: 443, scheduler: 'rr' });
    addDest(v, { ip: ip4('192.168.0.11'), port: 6443 });
    addDest(v, { ip: ip4('192.168.0.12'), port: 6443 });
    const rng = createRng(3);
    const syn = tcp('10.244.0.2', 50000, '10.96.0.1', 443);
    const r = ipvsIn(s, syn, { rng, now: 0 });
    expect(r).toMatchObject({ kind: 'forward', isNew: true, before: '10.96.0.1:443' });
    if (r.kind !== 'forward') return;
    const again = ipvsIn(s, { ...syn, l4: { ...syn.l4!, flags: 'A' } as never }, { rng, now: 1 });
    expect(again).toMatchObject({ kind: 'forward', isNew: false, after: r.after });
    expect(r.dest.activeConns).toBe(1);
    const back = ipvsOut(s, replyTo(r.packet));
    expect(back?.after).toBe('10.96.0.1:443');
    expect(back?.packet.ip.src).toBe(ip4('10.96.0.1'));
    expect(ipvsIn(s, udp('10.244.0.2', 1, '10.96.0.1', 443), { rng, now: 0 }).kind).toBe('none');
  });

  it('a service without real servers says so', () => {
    const s = createIpvs();
    addService(s, { proto: 'TCP', vip: ip4('10.96.0.9'), port: 80, scheduler: 'rr' });
    expect(ipvsIn(s, tcp('10.0.0.1', 1, '10.96.0.9', 80), { rng: createRng(1), now: 0 }).kind).toBe(
      'no-dest',
    );
  });
});

describe('IPVS at its netfilter hooks (ipvs: true)', () => {
  it('takes the request at INPUT after filter, tracks the real server, un-rewrites the reply at FORWARD', () => {
    const b = box(
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate NEW -j LOG\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -m conntrack --ctstate NEW -d 10.244.1.3/32 -j MASQUERADE\nCOMMIT\n',
      ['10.244.0.1'],
    );
    const v = addService(b.state.ipvs, {
      proto: 'TCP',
      vip: ip4('10.96.0.10'),
      port: 80,
      scheduler: 'rr',
    });
    addDest(v, { ip: ip4('10.244.1.3'), port: 8080 });
    const skb = { mark: 0, ct: undefined };
    const syn = tcp('10.244.0.2', 41000, '10.96.0.10', 80);
    const pre = at(b, 'PREROUTING', syn, { inDev: 'cni0', skb, ipvs: true });
    const inp = at(b, 'INPUT', pre.packet, { inDev: 'cni0', skb, ipvs: true });
    expect(inp.stolen).toEqual({
      by: 'ipvs',
      service: '10.96.0.10:80',
      realServer: '10.244.1.3:8080',
    });
    // The filter INPUT rule ran first (IPVS hooks LOCAL_IN at priority 98, after filter's 0).
    expect(inp.events.map((e) => e.kind)).toEqual(['netfilter', 'netfilter', 'nat']);
    const out = at(b, 'OUTPUT', inp.packet, { outDev: 'cni0', skb, ipvs: true });
    const post = at(b, 'POSTROUTING', out.packet, { outDev: 'cni0', skb, ipvs: true });
    expect(formatIp4(post.packet.ip.src)).toBe('10.244.0.1');
    expect(formatIp4(post.packet.ip.dst)).toBe('10.244.1.3');
    const s2 = { mark: 0, ct: undefined };
    const r1 = at(b, 'PREROUTING', replyTo(post.packet), { inDev: 'cni0', skb: s2, ipvs: true });
    expect(r1.events.find((e) => e.kind === 'conntrack')).toMatchObject({
      action: 'hit',
      state: 'ESTABLISHED',
    });
    const r2 = at(b, 'FORWARD', r1.packet, { inDev: 'cni0', outDev: 'cni0', skb: s2, ipvs: true });
    expect([formatIp4(r2.packet.ip.src), formatIp4(r2.packet.ip.dst)]).toEqual([
      '10.96.0.10',
      '10.244.0.2',
    ]);
    expect(r2.packet.l4).toMatchObject({ sport: 80, dport: 41000 });
    expect(ipvsadmList(b.state.ipvs)).toContain(
      '  -> 10.244.1.3:8080              Masq    1      0          1         ',
    );
  });

  it('is off unless the caller opts in', () => {
    const b = box('');
    const v = addService(b.state.ipvs, {
      proto: 'TCP',
      vip: ip4('10.96.0.10'),
      port: 80,
      scheduler: 'rr',
    });
    addDest(v, { ip: ip4('10.244.1.3'), port: 8080 });
    expect(at(b, 'INPUT', tcp('10.244.0.2', 1, '10.96.0.10', 80)).stolen).toBeUndefined();
  });
});
