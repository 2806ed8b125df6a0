/**
 * Connection tracking as nf_conntrack does it: an entry has an original and a reply tuple and
 * is found from either; it is created unconfirmed on a connection's first packet and only
 * enters the table (is confirmed) when that packet leaves the last hook alive. Timeouts are
 * the kernel's defaults; the TCP state follows the flags the way nf_conntrack_proto_tcp does,
 * without sequence-number windows.
 */
import { formatIp4, type Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';

export type CtProto = 'tcp' | 'udp' | 'icmp';
export type TcpState =
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSE';

export interface Tuple {
  src: Ip4;
  dst: Ip4;
  /** For ICMP both ports are the echo identifier. */
  sport: number;
  dport: number;
}

export interface ConntrackEntry {
  proto: CtProto;
  orig: Tuple;
  reply: Tuple;
  seenReply: boolean;
  confirmed: boolean;
  assured: boolean;
  tcpState?: TcpState;
  /** IPS_SRC_NAT / IPS_DST_NAT: the reply tuple is not the plain inverse of the original. */
  srcNat: boolean;
  dstNat: boolean;
  /** IPS_*_NAT_DONE: the nat table has been consulted for that manip (once per connection). */
  srcNatDone: boolean;
  dstNatDone: boolean;
  /** Which target bound the NAT, so later packets' events name it. */
  snatBy?: 'SNAT' | 'MASQUERADE';
  dnatBy?: 'DNAT' | 'REDIRECT';
  mark: number;
  /** Simulated time (seconds) when the entry expires. */
  expires: number;
  created: number;
}

/** What a packet carries in skb->_nfct: its entry and the direction it travels in. */
export interface CtRef {
  entry: ConntrackEntry;
  dir: 'orig' | 'reply';
  /** An ICMP error about this connection (ctstate RELATED). */
  related?: boolean;
}

export interface ConntrackTable {
  byTuple: Map<string, CtRef>;
  list: ConntrackEntry[];
}

/** Default timeouts (seconds), net.netfilter.nf_conntrack_*_timeout_*. */
export const TIMEOUTS = {
  tcp: {
    SYN_SENT: 120,
    SYN_RECV: 60,
    ESTABLISHED: 432000,
    FIN_WAIT: 120,
    CLOSE_WAIT: 60,
    LAST_ACK: 30,
    TIME_WAIT: 120,
    CLOSE: 10,
  } satisfies Record<TcpState, number>,
  udp: 30,
  udpStream: 120,
  icmp: 30,
};

const PROTO: Record<number, CtProto> = { 6: 'tcp', 17: 'udp', 1: 'icmp' };
const NUM: Record<CtProto, number> = { tcp: 6, udp: 17, icmp: 1 };

export function createConntrackTable(list: ConntrackEntry[]): ConntrackTable {
  return { byTuple: new Map(), list };
}

/** ICMP echo request/reply are tracked; errors are RELATED to another connection. */
const ICMP_REPLY: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13 };
export const isIcmpError = (p: Packet) =>
  p.l4?.kind === 'icmp' && (p.l4.type === 3 || p.l4.type === 11);

/** The key of a tuple; ICMP echoes keep their type so that request and reply differ. */
export function tupleKey(proto: CtProto, t: Tuple, icmpType = -1): string {
  return `${proto}|${t.src}|${t.dst}|${t.sport}|${t.dport}|${icmpType}`;
}

export function tupleOf(p: Packet): { proto: CtProto; t: Tuple; icmpType: number } | null {
  const proto = PROTO[p.ip.proto];
  if (!proto || !p.l4 || p.l4.kind !== proto) return null;
  const l4 = p.l4;
  if (l4.kind === 'icmp') {
    if (!(l4.type in ICMP_REPLY)) return null;
    return {
      proto,
      t: { src: p.ip.src, dst: p.ip.dst, sport: l4.id, dport: l4.id },
      icmpType: l4.type,
    };
  }
  return {
    proto,
    t: { src: p.ip.src, dst: p.ip.dst, sport: l4.sport, dport: l4.dport },
    icmpType: -1,
  };
}

function entryKeys(e: ConntrackEntry): [string, string] {
  const echo = e.proto === 'icmp';
  return [tupleKey(e.proto, e.orig, echo ? 8 : -1), tupleKey(e.proto, e.reply, echo ? 0 : -1)];
}

function expire(state: { ct: ConntrackTable }, e: ConntrackEntry): void {
  const [a, b] = entryKeys(e);
  state.ct.byTuple.delete(a);
  state.ct.byTuple.delete(b);
  const i = state.ct.list.indexOf(e);
  if (i >= 0) state.ct.list.splice(i, 1);
}

/** Finds the confirmed entry a packet belongs to (expired entries are reaped on the way). */
export function lookup(state: { ct: ConntrackTable }, p: Packet, now: number): CtRef | null {
  if (isIcmpError(p) && p.inner) {
    // An ICMP error quotes the packet it is about as that packet was sent; the connection is the
    // one whose tuple is the quote reversed, and the error travels in that tuple's direction.
    const q = p.inner;
    const l4 = q.l4;
    if (!l4) return null;
    const flipped: Packet = {
      ...q,
      ip: { ...q.ip, src: q.ip.dst, dst: q.ip.src },
      l4:
        l4.kind === 'icmp'
          ? { ...l4, type: ICMP_REPLY[l4.type] ?? l4.type }
          : { ...l4, sport: l4.dport, dport: l4.sport },
    };
    const found = lookup(state, flipped, now);
    return found ? { entry: found.entry, dir: found.dir, related: true } : null;
  }
  const k = tupleOf(p);
  if (!k) return null;
  const ref = state.ct.byTuple.get(tupleKey(k.proto, k.t, k.icmpType));
  if (!ref) return null;
  if (ref.entry.expires <= now) {
    expire(state, ref.entry);
    return null;
  }
  return ref;
}

/** Is a tuple the reply or original tuple of a confirmed entry other than `self`? (nf_conntrack_tuple_taken) */
export function tupleTaken(
  state: { ct: ConntrackTable },
  proto: CtProto,
  t: Tuple,
  self: ConntrackEntry,
): boolean {
  const ref = state.ct.byTuple.get(tupleKey(proto, t, proto === 'icmp' ? 0 : -1));
  return ref !== undefined && ref.entry !== self;
}

/**
 * A new, unconfirmed entry for a connection's first packet, or null when conntrack would not
 * track it: a TCP segment that cannot open a connection (RST, FIN, SYN-ACK) is INVALID.
 */
export function create(p: Packet, now: number): ConntrackEntry | null {
  const k = tupleOf(p);
  if (!k) return null;
  let tcpState: TcpState | undefined;
  if (k.proto === 'tcp') {
    const f = p.l4!.kind === 'tcp' ? p.l4!.flags : '';
    if (f.includes('R') || f.includes('F') || (f.includes('S') && f.includes('A'))) return null;
    // nf_conntrack_tcp_loose=1: a mid-stream ACK picks the connection up as ESTABLISHED.
    tcpState = f.includes('S') ? 'SYN_SENT' : 'ESTABLISHED';
  }
  if (k.proto === 'icmp' && ICMP_REPLY[k.icmpType] !== 0 && k.icmpType !== 13) return null;
  const reply: Tuple = { src: k.t.dst, dst: k.t.src, sport: k.t.dport, dport: k.t.sport };
  const e: ConntrackEntry = {
    proto: k.proto,
    orig: k.t,
    reply,
    seenReply: false,
    confirmed: false,
    assured: false,
    srcNat: false,
    dstNat: false,
    srcNatDone: false,
    dstNatDone: false,
    mark: 0,
    expires: 0,
    created: now,
  };
  if (tcpState) e.tcpState = tcpState;
  e.expires = now + timeoutOf(e, now);
  return e;
}

function timeoutOf(e: ConntrackEntry, now: number): number {
  if (e.proto === 'tcp') return TIMEOUTS.tcp[e.tcpState ?? 'ESTABLISHED'];
  if (e.proto === 'icmp') return TIMEOUTS.icmp;
  // nf_conntrack_proto_udp: a flow still active two seconds after its first packet is a stream.
  return e.seenReply && now > e.created + 2 ? TIMEOUTS.udpStream : TIMEOUTS.udp;
}

/** The state a TCP connection moves to on a segment (direction-agnostic, as the kernel's table). */
function tcpNext(s: TcpState, flags: string, dir: 'orig' | 'reply'): TcpState {
  if (flags.includes('R')) return 'CLOSE';
  const syn = flags.includes('S');
  const ack = flags.includes('A');
  if (syn && !ack) return s === 'SYN_SENT' || s === 'CLOSE' || s === 'TIME_WAIT' ? 'SYN_SENT' : s;
  if (syn && ack) return dir === 'reply' && (s === 'SYN_SENT' || s === 'SYN_RECV') ? 'SYN_RECV' : s;
  if (flags.includes('F')) {
    if (s === 'ESTABLISHED') return 'FIN_WAIT';
    if (s === 'FIN_WAIT' || s === 'CLOSE_WAIT') return 'LAST_ACK';
    return s;
  }
  if (ack) {
    if (s === 'SYN_RECV') return dir === 'orig' ? 'ESTABLISHED' : s;
    if (s === 'FIN_WAIT') return 'CLOSE_WAIT';
    if (s === 'LAST_ACK') return 'TIME_WAIT';
  }
  return s;
}

/** A packet of a known connection: update state, ASSURED and the timeout (nf_ct_refresh). */
export function update(ref: CtRef, p: Packet, now: number): void {
  const e = ref.entry;
  if (ref.related) return;
  if (ref.dir === 'reply') e.seenReply = true;
  if (e.proto === 'tcp' && p.l4?.kind === 'tcp') {
    const old = e.tcpState ?? 'ESTABLISHED';
    e.tcpState = tcpNext(old, p.l4.flags, ref.dir);
    if (
      e.seenReply &&
      e.tcpState === 'ESTABLISHED' &&
      (old === 'SYN_RECV' || old === 'ESTABLISHED')
    )
      e.assured = true;
  }
  if (e.proto === 'udp' && e.seenReply && now > e.created + 2) e.assured = true;
  e.expires = now + timeoutOf(e, now);
}

/** nf_conntrack_confirm: the entry enters the hash under both tuples. */
export function confirm(state: { ct: ConntrackTable }, e: ConntrackEntry): void {
  if (e.confirmed) return;
  e.confirmed = true;
  const [a, b] = entryKeys(e);
  state.ct.byTuple.set(a, { entry: e, dir: 'orig' });
  state.ct.byTuple.set(b, { entry: e, dir: 'reply' });
  state.ct.list.push(e);
}

function tupleText(t: Tuple, proto: CtProto, icmpType: number): string {
  const ends = `src=${formatIp4(t.src)} dst=${formatIp4(t.dst)}`;
  return proto === 'icmp'
    ? `${ends} type=${icmpType} code=0 id=${t.sport}`
    : `${ends} sport=${t.sport} dport=${t.dport}`;
}

/**
 * One line as `conntrack -L` prints it. The countdown is printed as the tool would see it a
 * moment after the packet (a few jiffies later the kernel's floor is one second less), which
 * is why a fresh established entry reads 431999, as on a real node.
 */
export function formatEntry(e: ConntrackEntry, now = e.created): string {
  const left = Math.max(0, Math.ceil(e.expires - now) - 1);
  const st = e.proto === 'tcp' ? ` ${e.tcpState ?? 'ESTABLISHED'}` : '';
  const unreplied = e.seenReply ? '' : ' [UNREPLIED]';
  const assured = e.assured ? ' [ASSURED]' : '';
  const echo = e.proto === 'icmp';
  return `${e.proto.padEnd(8)} ${NUM[e.proto]} ${left}${st} ${tupleText(e.orig, e.proto, echo ? 8 : -1)}${unreplied} ${tupleText(e.reply, e.proto, echo ? 0 : -1)}${assured} mark=${e.mark} use=1`;
}

/** `conntrack -L` at time `now`: live confirmed entries, oldest first. */
export function conntrackText(entries: ConntrackEntry[], now?: number): string {
  return entries
    .filter((e) => e.confirmed && (now === undefined || e.expires > now))
    .map((e) => formatEntry(e, now ?? lastSeen(e)))
    .join('\n');
}

/** Without a clock reading, print as of the entry's last packet. */
function lastSeen(e: ConntrackEntry): number {
  const t =
    e.proto === 'tcp'
      ? TIMEOUTS.tcp[e.tcpState ?? 'ESTABLISHED']
      : e.proto === 'icmp'
        ? TIMEOUTS.icmp
        : e.assured
          ? TIMEOUTS.udpStream
          : TIMEOUTS.udp;
  return e.expires - t;
}
