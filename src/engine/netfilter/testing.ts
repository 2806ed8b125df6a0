/**
 * A small harness for netfilter tests: packets from a few words, and a hook call with the
 * context the data path would pass (devices, local addresses, clock, seeded RNG).
 */
import { createRng, type Rng } from '../sim/rng';
import { ip4, type Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import type { AddrType, Hook, HookResult, SkbState } from './api';
import { runHook } from './evaluate';
import { restore } from './restore';
import { createNetfilterState, type NetfilterState } from './state';

export function tcp(src: string, sport: number, dst: string, dport: number, flags = 'S'): Packet {
  return {
    ip: { src: ip4(src), dst: ip4(dst), proto: 6, ttl: 64, len: 60 },
    l4: { kind: 'tcp', sport, dport, flags },
    payloadLen: 0,
  };
}
export function udp(src: string, sport: number, dst: string, dport: number): Packet {
  return {
    ip: { src: ip4(src), dst: ip4(dst), proto: 17, ttl: 64, len: 40 },
    l4: { kind: 'udp', sport, dport, len: 20 },
    payloadLen: 12,
  };
}
export function ping(src: string, dst: string, id = 7, type = 8): Packet {
  return {
    ip: { src: ip4(src), dst: ip4(dst), proto: 1, ttl: 64, len: 84 },
    l4: { kind: 'icmp', type, code: 0, id, seq: 1 },
    payloadLen: 56,
  };
}
/** The reply a server sends to `p` (ports and addresses swapped). */
export function replyTo(p: Packet, flags = 'SA'): Packet {
  const l4 = p.l4!;
  return {
    ...p,
    ip: { ...p.ip, src: p.ip.dst, dst: p.ip.src },
    l4:
      l4.kind === 'icmp'
        ? { ...l4, type: 0 }
        : l4.kind === 'tcp'
          ? { ...l4, sport: l4.dport, dport: l4.sport, flags }
          : { ...l4, sport: l4.dport, dport: l4.sport },
  };
}

export interface Box {
  state: NetfilterState;
  rng: Rng;
  now: number;
  /** This namespace's own addresses (addrtype LOCAL, MASQUERADE source). */
  local: Ip4[];
}

export function box(rules: string, local: string[] = ['192.168.0.10'], seed = 1): Box {
  const state = createNetfilterState();
  const d = restore(state, rules, 'test.rules');
  if (d.length) throw new Error(d.map((x) => x.message).join('\n'));
  return { state, rng: createRng(seed), now: 0, local: local.map(ip4) };
}

export interface HookOpts {
  inDev?: string;
  outDev?: string;
  physIn?: string;
  physOut?: string;
  family?: 'ipv4' | 'bridge';
  skb?: SkbState;
  ipvs?: boolean;
  /** Addresses per device, for `addrtype --limit-iface-*`. */
  devAddrs?: Record<string, string[]>;
}

export function at(
  b: Box,
  hook: Hook,
  p: Packet,
  o: HookOpts = {},
): HookResult & { skb: SkbState } {
  const skb = o.skb ?? { mark: 0, ct: undefined };
  const res = runHook(b.state, p, {
    hook,
    family: o.family ?? 'ipv4',
    ...(o.inDev ? { inDev: o.inDev } : {}),
    ...(o.outDev ? { outDev: o.outDev } : {}),
    ...(o.physIn ? { physIn: o.physIn } : {}),
    ...(o.physOut ? { physOut: o.physOut } : {}),
    addrType: (ip): AddrType =>
      b.local.includes(ip) ? 'LOCAL' : ip === 0xffffffff ? 'BROADCAST' : 'UNICAST',
    masqueradeAddress: () => b.local[0],
    skb,
    rng: b.rng,
    now: b.now,
    ...(o.ipvs ? { ipvs: true } : {}),
    ...(o.devAddrs
      ? {
          addrTypeOn: (ip: Ip4, dev: string): AddrType =>
            (o.devAddrs![dev] ?? []).map(ip4).includes(ip) ? 'LOCAL' : 'UNICAST',
        }
      : {}),
  });
  return { ...res, skb };
}

/**
 * A forwarded packet through a router namespace: PREROUTING on `inDev`, FORWARD, POSTROUTING
 * on `outDev`, with one skb as the kernel keeps it. Returns the packet as it leaves, or the
 * verdict that stopped it.
 */
export function forward(b: Box, p: Packet, inDev = 'eth0', outDev = 'eth1') {
  const skb: SkbState = { mark: 0, ct: undefined };
  const events: HookResult['events'] = [];
  let cur = p;
  for (const [hook, devs] of [
    ['PREROUTING', { inDev }],
    ['FORWARD', { inDev, outDev }],
    ['POSTROUTING', { outDev }],
  ] as const) {
    const r = at(b, hook, cur, { ...devs, skb });
    events.push(...r.events);
    if (r.verdict.kind !== 'ACCEPT') return { verdict: r.verdict, packet: r.packet, events, skb };
    cur = r.packet;
  }
  return { verdict: { kind: 'ACCEPT' } as const, packet: cur, events, skb };
}

/**
 * A kube-proxy-like nat table with `n` service rules in KUBE-SERVICES, as iptables-save prints
 * them (for the benchmark and the memory measurement).
 */
export function kubeServicesRuleset(n: number, opts: { endpoints?: boolean } = {}): string {
  const endpoints = opts.endpoints ?? true;
  const lines = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':KUBE-SERVICES - [0:0]',
  ];
  const svc = (i: number) =>
    `KUBE-SVC-${((i * 2654435761) >>> 0).toString(36).toUpperCase().padStart(16, 'X')}`;
  if (endpoints) for (let i = 0; i < n; i++) lines.push(`:${svc(i)} - [0:0]`);
  lines.push('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  for (let i = 0; i < n; i++) {
    const ip = `10.96.${(i >> 8) & 255}.${i & 255}`;
    lines.push(
      `-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "ns${i % 97}/svc${i}:http cluster IP" -m tcp --dport ${80 + (i % 7)} -j ${endpoints ? svc(i) : 'ACCEPT'}`,
    );
  }
  if (endpoints)
    for (let i = 0; i < n; i++)
      lines.push(`-A ${svc(i)} -j DNAT --to-destination 10.244.${(i >> 8) & 255}.${i & 255}:8080`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}
