/**
 * NAT as nf_nat does it: the nat table is consulted once per connection and manip type
 * (DNAT at PREROUTING/OUTPUT, SNAT at POSTROUTING/INPUT); the binding is stored as the
 * conntrack entry's reply tuple, and every packet — later ones and replies — is rewritten
 * from the tuples alone (nf_nat_packet), never by walking the nat table again.
 */
import type { Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import type { HookContext } from './api';
import { tupleTaken, type ConntrackEntry, type Tuple } from './conntrack';
import type { NatRange, Target } from './model';
import type { NetfilterState } from './state';

export type Manip = 'SRC' | 'DST';

/** HOOK2MANIP: which rewrite a hook does. */
export const manipOf = (hook: HookContext['hook']): Manip | null =>
  hook === 'PREROUTING' || hook === 'OUTPUT'
    ? 'DST'
    : hook === 'POSTROUTING' || hook === 'INPUT'
      ? 'SRC'
      : null;

function withAddrs(p: Packet, src: number, dst: number, sport: number, dport: number): Packet {
  const l4 = p.l4;
  const ip = { ...p.ip, src: src as Ip4, dst: dst as Ip4 };
  return l4 && l4.kind !== 'icmp' ? { ...p, ip, l4: { ...l4, sport, dport } } : { ...p, ip };
}

/**
 * nf_nat_manip_pkt: set this packet's source (SRC) or destination (DST) to what the other
 * direction's tuple, inverted, says. Returns null when there is nothing to change.
 */
export function manipPacket(
  e: ConntrackEntry,
  dir: 'orig' | 'reply',
  m: Manip,
  p: Packet,
): Packet | null {
  // The tuple this packet must end up with is the inverse of the other direction's tuple.
  const other: Tuple = dir === 'orig' ? e.reply : e.orig;
  const want = { src: other.dst, dst: other.src, sport: other.dport, dport: other.sport };
  const l4 = p.l4;
  const cur = l4 && l4.kind !== 'icmp' ? [l4.sport, l4.dport] : l4 ? [l4.id, l4.id] : [0, 0];
  if (m === 'SRC') {
    if (p.ip.src === want.src && cur[0] === want.sport) return null;
    return l4?.kind === 'icmp'
      ? { ...p, ip: { ...p.ip, src: want.src }, l4: { ...l4, id: want.sport } }
      : withAddrs(p, want.src, p.ip.dst, want.sport, cur[1]!);
  }
  if (p.ip.dst === want.dst && cur[1] === want.dport) return null;
  return l4?.kind === 'icmp'
    ? { ...p, ip: { ...p.ip, dst: want.dst }, l4: { ...l4, id: want.dport } }
    : withAddrs(p, p.ip.src, want.dst, cur[0]!, want.dport);
}

/** Does nf_nat_packet rewrite this packet at this manip? (IPS_SRC_NAT/IPS_DST_NAT, flipped for replies) */
export function needsManip(e: ConntrackEntry, dir: 'orig' | 'reply', m: Manip): boolean {
  const srcBit = m === 'SRC';
  const bit = dir === 'reply' ? !srcBit : srcBit;
  return bit ? e.srcNat : e.dstNat;
}

/** A simple, documented stand-in for the kernel's jhash when a range offers several addresses. */
function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** nf_nat_l4proto_unique_tuple's default source-port ranges, by the port's class. */
function defaultPortRange(port: number): [number, number] {
  if (port < 512) return [1, 511];
  if (port < 1024) return [600, 1023];
  return [1024, 65535];
}

export interface Binding {
  type: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT';
  /** False when the target could not bind (MASQUERADE with no address, no free port): the kernel drops. */
  ok: boolean;
  reason?: string;
}

/**
 * nf_nat_setup_info for one manip, from the target that matched (or none: the null binding).
 * SNAT and MASQUERADE keep the source port when the resulting tuple is free and otherwise
 * pick one from the range with the seeded RNG (the kernel starts at a random offset too);
 * `--random-fully` always picks. A null SRC binding still resolves a clash the same way.
 */
export function bind(
  state: NetfilterState,
  e: ConntrackEntry,
  m: Manip,
  target: Target | null,
  p: Packet,
  ctx: HookContext,
): Binding | null {
  const reply = { ...e.reply };
  let type: Binding['type'] | null = null;
  let portRange: [number, number] | null = null;
  let randomFully = false;
  if (m === 'DST') {
    e.dstNatDone = true;
    if (target?.kind === 'DNAT' && target.range) {
      const r: NatRange = target.range;
      if (r.minIp !== 0 || r.maxIp !== 0) {
        const span = r.maxIp - r.minIp + 1;
        const pick = span === 1 ? 0 : mix(e.orig.src, target.persistent ? 0 : e.orig.dst) % span;
        reply.src = (r.minIp + pick) as Ip4;
      }
      if (r.minPort !== null && e.proto !== 'icmp') {
        const inside = e.orig.dport >= r.minPort && e.orig.dport <= r.maxPort!;
        reply.sport = inside ? e.orig.dport : r.minPort;
      }
      type = 'DNAT';
    } else if (target?.kind === 'REDIRECT') {
      const local =
        ctx.hook === 'OUTPUT'
          ? (0x7f000001 as Ip4)
          : (ctx.devAddress?.(ctx.inDev ?? '') ?? ctx.masqueradeAddress(ctx.inDev ?? '', p.ip.src));
      if (local === undefined) return { type: 'REDIRECT', ok: false };
      reply.src = local;
      if (target.ports && e.proto !== 'icmp') reply.sport = target.ports[0];
      type = 'REDIRECT';
    }
    if (!type) return null;
    e.reply = reply;
    e.dstNat = reply.src !== e.orig.dst || reply.sport !== e.orig.dport;
    e.dnatBy = type as 'DNAT' | 'REDIRECT';
    return { type, ok: true };
  }
  e.srcNatDone = true;
  if (target?.kind === 'SNAT' && target.range) {
    const r = target.range;
    if (r.minIp !== 0 || r.maxIp !== 0) {
      const span = r.maxIp - r.minIp + 1;
      reply.dst = (r.minIp +
        (span === 1 ? 0 : mix(e.orig.src, target.persistent ? 0 : e.orig.dst) % span)) as Ip4;
    }
    if (r.minPort !== null) portRange = [r.minPort, r.maxPort!];
    randomFully = target.randomFully;
    type = 'SNAT';
  } else if (target?.kind === 'MASQUERADE') {
    const addr = ctx.masqueradeAddress(ctx.outDev ?? '', p.ip.dst);
    if (addr === undefined) return { type: 'MASQUERADE', ok: false };
    reply.dst = addr;
    portRange = target.ports;
    randomFully = target.randomFully;
    type = 'MASQUERADE';
  }
  if (e.proto !== 'icmp') {
    const [lo, hi] = portRange ?? defaultPortRange(e.orig.sport);
    const inRange = reply.dport >= lo && reply.dport <= hi;
    if (randomFully || !inRange || tupleTaken(state, e.proto, reply, e)) {
      const size = hi - lo + 1;
      let off = ctx.rng.int(0, size - 1);
      let free = false;
      for (let i = 0; i < size && !free; i++, off++) {
        reply.dport = lo + (off % size);
        free = !tupleTaken(state, e.proto, reply, e);
      }
      // Every port taken: the kernel keeps the clashing tuple and drops the packet when the
      // entry fails to insert at confirm time.
      if (!free)
        return {
          type: type ?? 'SNAT',
          ok: false,
          reason: 'no free source port (the NAT tuple is taken)',
        };
    }
  }
  const changed = reply.dst !== e.reply.dst || reply.dport !== e.reply.dport;
  e.reply = reply;
  e.srcNat = reply.dst !== e.orig.src || reply.dport !== e.orig.sport;
  if (!type && !changed) return null;
  const t = type ?? 'SNAT';
  e.snatBy = t === 'MASQUERADE' ? 'MASQUERADE' : 'SNAT';
  return { type: t, ok: true };
}

/**
 * nf_nat_icmp_reply_translation: an ICMP error about a NATed connection gets its outer header
 * rewritten like any packet of that direction, and the packet it quotes the other way round,
 * so the host receiving it recognises its own packet.
 */
export function manipIcmpError(
  e: ConntrackEntry,
  dir: 'orig' | 'reply',
  m: Manip,
  p: Packet,
): Packet | null {
  const inner = p.inner;
  if (!inner?.l4 || inner.l4.kind === 'icmp') return null;
  // The tuple this direction's packets end up with, seen from this side of the NAT.
  const target: Tuple = dir === 'reply' ? e.orig : e.reply;
  const il4 = inner.l4;
  if (m === 'DST') {
    if (p.ip.dst === target.src && inner.ip.src === target.src && il4.sport === target.sport)
      return null;
    return {
      ...p,
      ip: { ...p.ip, dst: target.src },
      inner: {
        ...inner,
        ip: { ...inner.ip, src: target.src },
        l4: { ...il4, sport: target.sport },
      },
    };
  }
  if (p.ip.src === target.dst && inner.ip.dst === target.dst && il4.dport === target.dport)
    return null;
  return {
    ...p,
    ip: { ...p.ip, src: target.dst },
    inner: { ...inner, ip: { ...inner.ip, dst: target.dst }, l4: { ...il4, dport: target.dport } },
  };
}
