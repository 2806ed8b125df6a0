import { formatIp4, type Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';

/** A connection as conntrack tracks it: the original tuple and the reply tuple. */
export interface ConntrackEntry {
  proto: 'tcp' | 'udp' | 'icmp';
  orig: Tuple;
  reply: Tuple;
  seenReply: boolean;
  confirmed: boolean;
}

export interface Tuple {
  src: Ip4;
  dst: Ip4;
  sport: number;
  dport: number;
}

const PROTO: Record<number, ConntrackEntry['proto']> = { 6: 'tcp', 17: 'udp', 1: 'icmp' };

export function tupleOf(p: Packet): { proto: ConntrackEntry['proto']; t: Tuple } | null {
  const proto = PROTO[p.ip.proto];
  if (!proto || !p.l4) return null;
  const l4 = p.l4;
  const [sport, dport] = l4.kind === 'icmp' ? [l4.id, l4.id] : [l4.sport, l4.dport];
  return { proto, t: { src: p.ip.src, dst: p.ip.dst, sport, dport } };
}

function same(a: Tuple, b: Tuple): boolean {
  return a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;
}

/** Finds the entry a packet belongs to and the direction it travels in. */
export function lookup(
  entries: ConntrackEntry[],
  p: Packet,
): { entry: ConntrackEntry; dir: 'orig' | 'reply' } | null {
  const k = tupleOf(p);
  if (!k) return null;
  for (const e of entries) {
    if (e.proto !== k.proto) continue;
    if (same(e.orig, k.t)) return { entry: e, dir: 'orig' };
    if (same(e.reply, k.t)) return { entry: e, dir: 'reply' };
  }
  return null;
}

export function create(p: Packet): ConntrackEntry | null {
  const k = tupleOf(p);
  if (!k) return null;
  const reply = { src: k.t.dst, dst: k.t.src, sport: k.t.dport, dport: k.t.sport };
  return { proto: k.proto, orig: k.t, reply, seenReply: false, confirmed: false };
}

function tupleText(t: Tuple, proto: ConntrackEntry['proto']): string {
  const ends = `src=${formatIp4(t.src)} dst=${formatIp4(t.dst)}`;
  return proto === 'icmp'
    ? `${ends} type=8 code=0 id=${t.sport}`
    : `${ends} sport=${t.sport} dport=${t.dport}`;
}

/** One line as `conntrack -L` prints it. */
export function formatEntry(e: ConntrackEntry): string {
  const num = e.proto === 'tcp' ? 6 : e.proto === 'udp' ? 17 : 1;
  const tcpState = e.proto === 'tcp' ? (e.seenReply ? ' SYN_RECV' : ' SYN_SENT') : '';
  const timeout = e.proto === 'tcp' ? (e.seenReply ? 60 : 120) : 30;
  const unreplied = e.seenReply ? '' : ' [UNREPLIED]';
  const replyTuple =
    e.proto === 'icmp'
      ? tupleText(e.reply, e.proto).replace('type=8', 'type=0')
      : tupleText(e.reply, e.proto);
  return `${e.proto.padEnd(8)} ${num} ${timeout}${tcpState} ${tupleText(e.orig, e.proto)}${unreplied} ${replyTuple} mark=0 use=1`;
}

export function conntrackText(entries: ConntrackEntry[]): string {
  return entries
    .filter((e) => e.confirmed)
    .map(formatEntry)
    .join('\n');
}
