/**
 * Rule matching, read straight off the typed rule (no per-rule closures: 50,000 rules cost no
 * memory beyond their parsed form), and an index for the shape kube-proxy writes by the thousand (`-d VIP/32 … -j KUBE-SVC-…`), so a packet only tests the rules that
 * could match its destination. Skipped rules are exactly the ones whose `-d` differs from the
 * packet's: they cannot match, and the walk still reports them in its unmatched ranges.
 */
import type { Packet } from '../wire/packet';
import type { HookContext } from './api';
import type { CtRef } from './conntrack';
import { setTest } from './ipset';
import {
  ADDR_TYPES,
  type Chain,
  type IfaceTest,
  type MatchModule,
  type PortTest,
  type Rule,
  type Table,
} from './model';
import { recentMatch } from './recent';
import type { NetfilterState } from './state';

export interface MatchEnv {
  p: Packet;
  ctx: HookContext;
  state: NetfilterState;
  ct: CtRef | 'untracked' | undefined;
}

export interface ChainIndex {
  byDst: Map<number, number[]>;
  /** Rules without a plain `-d x/32`: always tested. */
  rest: number[];
}

const indexes = new WeakMap<
  Chain,
  { rules: Rule[]; len: number; min: number; ix: ChainIndex | null }
>();

const inRange = (v: number, t: PortTest) => (v >= t.lo && v <= t.hi) !== t.neg;
function ifaceHit(dev: string | undefined, t: IfaceTest): boolean {
  const hit = dev !== undefined && (t.prefix ? dev.startsWith(t.name) : dev === t.name);
  return hit !== t.neg;
}
function ports(p: Packet): [number, number] | null {
  return p.l4 && p.l4.kind !== 'icmp' ? [p.l4.sport, p.l4.dport] : null;
}
const FLAG_BITS: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, W: 128 };
function tcpFlagBits(flags: string): number {
  let b = 0;
  for (const c of flags) b |= FLAG_BITS[c] ?? 0;
  return b;
}
const addrHit = (ip: number, t: { addr: number; len: number; neg: boolean }) =>
  ((t.len === 0 ? 0 : ((ip >>> (32 - t.len)) << (32 - t.len)) >>> 0) === t.addr) !== t.neg;

/** The virtual ctstate bits of a packet (xt_conntrack), indexed as CT_STATES. */
export function ctStateBits(ct: MatchEnv['ct']): number {
  if (ct === 'untracked') return 1 << 4;
  if (!ct) return 1 << 0;
  const e = ct.entry;
  let bits = ct.related ? 1 << 2 : ct.dir === 'reply' || e.seenReply ? 1 << 3 : 1 << 1;
  if (e.srcNat) bits |= 1 << 5;
  if (e.dstNat) bits |= 1 << 6;
  return bits;
}

function moduleMatches(m: MatchModule, env: MatchEnv): boolean {
  const { p, ctx } = env;
  switch (m.mod) {
    case 'tcp':
    case 'udp': {
      const { sport, dport, flags } = m as {
        sport?: PortTest;
        dport?: PortTest;
        flags?: { mask: number; comp: number; neg: boolean };
      };
      {
        const l4 = p.l4;
        if (!l4 || l4.kind !== m.mod) return false;
        if (sport && !inRange(l4.sport, sport)) return false;
        if (dport && !inRange(l4.dport, dport)) return false;
        if (
          flags &&
          l4.kind === 'tcp' &&
          ((tcpFlagBits(l4.flags) & flags.mask) === flags.comp) === flags.neg
        )
          return false;
        return true;
      }
    }
    case 'icmp': {
      const l4 = p.l4;
      if (!l4 || l4.kind !== 'icmp') return false;
      const hit =
        m.type < 0 ||
        m.type === 255 ||
        (l4.type === m.type && (m.code === null || l4.code === m.code));
      return hit !== m.neg;
    }
    case 'comment':
      return true;
    case 'statistic': {
      if (m.mode === 'random')
        return Math.floor(ctx.rng.next() * 0x80000000) < m.probability !== m.neg;
      // The nth counter lives with the rule, as the kernel keeps it in the rule's match data.
      const counter = m as { count?: number };
      counter.count = counter.count === m.every - 1 ? 0 : (counter.count ?? 0) + 1;
      return (counter.count === m.packet) !== m.neg;
    }
    case 'recent':
      return recentMatch(env.state, m, p, ctx);
    case 'addrtype': {
      const dev = m.limitIn ? ctx.inDev : m.limitOut ? ctx.outDev : undefined;
      const typeOf = (ip: number) =>
        1 <<
        ADDR_TYPES.indexOf(
          dev !== undefined && ctx.addrTypeOn
            ? ctx.addrTypeOn(ip as never, dev)
            : ctx.addrType(ip as never),
        );
      if (m.src && ((m.src.types & typeOf(p.ip.src)) !== 0) === m.src.neg) return false;
      if (m.dst && ((m.dst.types & typeOf(p.ip.dst)) !== 0) === m.dst.neg) return false;
      return true;
    }
    case 'set': {
      const s = env.state.sets.get(m.name);
      return (s !== undefined && setTest(s, p, m.dirs)) !== m.neg;
    }
    case 'mark':
      return ((ctx.skb.mark & m.mask) >>> 0 === m.value) !== m.neg;
    case 'conntrack':
    case 'state': {
      const ct = env.ct;
      if (m.states && ((ctStateBits(ct) & m.states.bits) !== 0) === m.states.neg) return false;
      const tupleTests =
        m.origSrc ||
        m.origDst ||
        m.replSrc ||
        m.replDst ||
        m.origSrcPort ||
        m.origDstPort ||
        m.replSrcPort ||
        m.replDstPort ||
        m.status;
      if (!tupleTests) return true;
      if (!ct || ct === 'untracked') return false;
      const { orig, reply } = ct.entry;
      if (m.origSrc && !addrHit(orig.src, m.origSrc)) return false;
      if (m.origDst && !addrHit(orig.dst, m.origDst)) return false;
      if (m.replSrc && !addrHit(reply.src, m.replSrc)) return false;
      if (m.replDst && !addrHit(reply.dst, m.replDst)) return false;
      if (m.origSrcPort && !inRange(orig.sport, m.origSrcPort)) return false;
      if (m.origDstPort && !inRange(orig.dport, m.origDstPort)) return false;
      if (m.replSrcPort && !inRange(reply.sport, m.replSrcPort)) return false;
      if (m.replDstPort && !inRange(reply.dport, m.replDstPort)) return false;
      if (m.status) {
        const e = ct.entry;
        const bits = (e.seenReply ? 2 : 0) | (e.assured ? 4 : 0) | (e.confirmed ? 8 : 0);
        if (((bits & m.status.bits) !== 0) === m.status.neg) return false;
      }
      return true;
    }
    case 'multiport': {
      const ps = ports(p);
      if (!ps) return false;
      const hit = m.ports.some(
        ([lo, hi]) =>
          (m.which !== 'dports' && ps[0] >= lo && ps[0] <= hi) ||
          (m.which !== 'sports' && ps[1] >= lo && ps[1] <= hi),
      );
      return hit !== m.neg;
    }
    case 'physdev': {
      const bridged = ctx.family === 'bridge' || ctx.physIn !== undefined;
      if (!bridged) {
        // xt_physdev: without bridge info only fully inverted options match.
        return [m.in, m.out, m.isIn, m.isOut, m.isBridged].every((o) => o === undefined || o.neg);
      }
      if (m.isBridged && (ctx.physOut !== undefined) === m.isBridged.neg) return false;
      if (m.isIn && (ctx.physIn !== undefined) === m.isIn.neg) return false;
      if (m.isOut && (ctx.physOut !== undefined) === m.isOut.neg) return false;
      if (m.in && !ifaceHit(ctx.physIn ?? '', m.in)) return false;
      if (m.out && !ifaceHit(ctx.physOut ?? '', m.out)) return false;
      return true;
    }
  }
}

/** Does the rule match? Header fields first (the cheap, common tests), then each match in order. */
export function ruleMatches(r: Rule, env: MatchEnv): boolean {
  const { p, ctx } = env;
  if (r.dst && !addrHit(p.ip.dst, r.dst)) return false;
  if (r.src && !addrHit(p.ip.src, r.src)) return false;
  if (r.proto && (p.ip.proto === r.proto.num) === r.proto.neg) return false;
  if (r.inIface && !ifaceHit(ctx.inDev, r.inIface)) return false;
  if (r.outIface && !ifaceHit(ctx.outDev, r.outIface)) return false;
  const ms = r.matches;
  for (let i = 0; i < ms.length; i++) if (!moduleMatches(ms[i]!, env)) return false;
  return true;
}

/** Chains shorter than `min` are walked rule by rule; tests and the benchmark lower or raise it to compare both walks. */
export const INDEX = { min: 32 };

function buildIndex(c: Chain): ChainIndex | null {
  if (c.rules.length < INDEX.min) return null;
  const byDst = new Map<number, number[]>();
  const rest: number[] = [];
  c.rules.forEach((r, i) => {
    if (r.dst && r.dst.len === 32 && !r.dst.neg) {
      const l = byDst.get(r.dst.addr);
      if (l) l.push(i);
      else byDst.set(r.dst.addr, [i]);
    } else rest.push(i);
  });
  return rest.length * 2 > c.rules.length ? null : { byDst, rest };
}

/** The chain's destination index, or null when the chain is small or not of that shape. */
export function chainIndex(c: Chain): ChainIndex | null {
  const cached = indexes.get(c);
  // Rules appended or replaced after the index was built invalidate it.
  if (
    cached &&
    cached.rules === c.rules &&
    cached.len === c.rules.length &&
    cached.min === INDEX.min
  )
    return cached.ix;
  const ix = buildIndex(c);
  indexes.set(c, { rules: c.rules, len: c.rules.length, min: INDEX.min, ix });
  return ix;
}

/** Builds the destination indexes ahead of the first packet. */
export function compileTable(t: Table): void {
  for (const c of t.chains.values()) chainIndex(c);
}
