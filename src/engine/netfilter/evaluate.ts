import type { Packet } from '../wire/packet';
import type { FinalVerdict, HookContext, HookResult, NfEventDraft, TableName } from './api';
import { create, formatEntry, lookup, type ConntrackEntry } from './conntrack';
import type { Chain, Match, Rule, Table } from './model';
import { conntrackEnabled, type NetfilterState } from './state';

/** Chains deeper than this are a jump loop: iptables-restore refuses them; we stop the walk. */
const MAX_DEPTH = 64;

function ports(p: Packet): [number, number] | null {
  return p.l4 && p.l4.kind !== 'icmp' ? [p.l4.sport, p.l4.dport] : null;
}

function ctState(ctx: HookContext): string {
  const ct = ctx.skb.ct as { entry: ConntrackEntry; dir: 'orig' | 'reply' } | undefined;
  if (!ct) return 'INVALID';
  return ct.entry.seenReply || ct.dir === 'reply' ? 'ESTABLISHED' : 'NEW';
}

function matches(m: Match, p: Packet, ctx: HookContext): boolean {
  let hit: boolean;
  switch (m.kind) {
    case 'src':
    case 'dst':
      hit = ((m.kind === 'src' ? p.ip.src : p.ip.dst) & m.mask) >>> 0 === m.addr;
      break;
    case 'proto':
      hit = p.ip.proto === m.proto;
      break;
    case 'in':
    case 'out': {
      const dev = m.kind === 'in' ? ctx.inDev : ctx.outDev;
      hit = dev !== undefined && (m.prefix ? dev.startsWith(m.dev) : dev === m.dev);
      break;
    }
    case 'sport':
    case 'dport': {
      const ps = ports(p);
      const v = ps ? (m.kind === 'sport' ? ps[0] : ps[1]) : -1;
      hit = v >= m.lo && v <= m.hi;
      break;
    }
    case 'comment':
      return true;
    case 'ctstate':
      hit = m.states.includes(ctState(ctx));
      break;
  }
  return m.neg ? !hit : hit;
}

function ruleMatches(r: Rule, p: Packet, ctx: HookContext): boolean {
  for (const m of r.matches) if (!matches(m, p, ctx)) return false;
  return true;
}

type ChainResult =
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'REJECT'; with: string; chain: string; rule: string }
  | { kind: 'DROP-AT'; chain: string; rule: string | null };

/**
 * Walks one chain as the kernel does: first matching terminal rule decides; a jump walks the
 * target chain and continues here on RETURN; a goto does not come back. Non-matching runs are
 * recorded as one event with a range.
 */
function walkChain(
  table: Table,
  chain: Chain,
  p: Packet,
  ctx: HookContext,
  events: NfEventDraft[],
  depth: number,
): ChainResult {
  let missFrom = -1;
  const flushMisses = (upTo: number) => {
    if (missFrom < 0) return;
    events.push({
      kind: 'netfilter',
      hook: ctx.hook,
      table: table.name,
      chain: chain.name,
      rule: chain.rules[missFrom]!.text,
      index: missFrom + 1,
      matched: false,
      range: [missFrom + 1, upTo],
      verdict: 'CONTINUE',
    });
    missFrom = -1;
  };
  for (let i = 0; i < chain.rules.length; i++) {
    const r = chain.rules[i]!;
    if (!ruleMatches(r, p, ctx)) {
      if (missFrom < 0) missFrom = i;
      continue;
    }
    flushMisses(i);
    const t = r.target;
    const verdict =
      t.kind === 'JUMP'
        ? `JUMP ${t.chain}`
        : t.kind === 'GOTO'
          ? `GOTO ${t.chain}`
          : t.kind === 'NONE'
            ? 'CONTINUE'
            : t.kind;
    events.push({
      kind: 'netfilter',
      hook: ctx.hook,
      table: table.name,
      chain: chain.name,
      rule: r.text,
      index: i + 1,
      matched: true,
      verdict,
    });
    if (t.kind === 'NONE') continue;
    if (t.kind === 'ACCEPT' || t.kind === 'RETURN') return { kind: t.kind };
    if (t.kind === 'DROP') return { kind: 'DROP-AT', chain: chain.name, rule: r.text };
    if (t.kind === 'REJECT')
      return { kind: 'REJECT', with: t.with, chain: chain.name, rule: r.text };
    const jump = t as { kind: 'JUMP' | 'GOTO'; chain: string };
    const next = table.chains.get(jump.chain);
    if (!next || depth >= MAX_DEPTH) return { kind: 'DROP-AT', chain: chain.name, rule: r.text };
    const sub = walkChain(table, next, p, ctx, events, depth + 1);
    if (sub.kind !== 'RETURN') return sub;
    if (jump.kind === 'GOTO') return { kind: 'RETURN' };
  }
  flushMisses(chain.rules.length);
  return { kind: 'RETURN' };
}

/** Runs one table's base chain for this hook; the policy applies when the walk falls off the end. */
function runTable(table: Table, p: Packet, ctx: HookContext, events: NfEventDraft[]): FinalVerdict {
  const chain = table.chains.get(ctx.hook);
  if (!chain) return { kind: 'ACCEPT' };
  const res = walkChain(table, chain, p, ctx, events, 0);
  if (res.kind === 'ACCEPT') return { kind: 'ACCEPT' };
  if (res.kind === 'DROP-AT')
    return { kind: 'DROP', table: table.name, chain: res.chain, rule: res.rule };
  if (res.kind === 'REJECT')
    return { kind: 'REJECT', table: table.name, chain: res.chain, rule: res.rule, with: res.with };
  const policy = chain.policy ?? 'ACCEPT';
  events.push({
    kind: 'netfilter',
    hook: ctx.hook,
    table: table.name,
    chain: chain.name,
    rule: null,
    index: null,
    matched: true,
    verdict: policy,
  });
  return policy === 'DROP'
    ? { kind: 'DROP', table: table.name, chain: chain.name, rule: null }
    : { kind: 'ACCEPT' };
}

const ORDER: (TableName | 'ct' | 'nat-dst' | 'nat-src' | 'confirm')[] = [
  'raw',
  'ct',
  'mangle',
  'nat-dst',
  'filter',
  'security',
  'nat-src',
  'confirm',
];

/** The packet at one hook: every registered table in kernel priority order, with conntrack. */
export function runHook(state: NetfilterState, packet: Packet, ctx: HookContext): HookResult {
  const events: NfEventDraft[] = [];
  const ctOn = conntrackEnabled(state);
  const hook = ctx.hook;
  for (const step of ORDER) {
    let v: FinalVerdict = { kind: 'ACCEPT' };
    if (step === 'ct') {
      if (!ctOn || (hook !== 'PREROUTING' && hook !== 'OUTPUT')) continue;
      const found = lookup(state.conntrack, packet);
      if (found) {
        if (found.dir === 'reply') found.entry.seenReply = true;
        ctx.skb.ct = found;
        events.push({
          kind: 'conntrack',
          action: 'hit',
          state: found.dir === 'reply' || found.entry.seenReply ? 'ESTABLISHED' : 'NEW',
          entry: formatEntry(found.entry),
        });
      } else {
        const entry = create(packet);
        if (entry) {
          ctx.skb.ct = { entry, dir: 'orig' };
          events.push({
            kind: 'conntrack',
            action: 'new',
            state: 'NEW',
            entry: formatEntry(entry),
          });
        }
      }
      continue;
    }
    if (step === 'confirm') {
      const ct = ctx.skb.ct as { entry: ConntrackEntry } | undefined;
      if (ctOn && ct && !ct.entry.confirmed && (hook === 'POSTROUTING' || hook === 'INPUT')) {
        ct.entry.confirmed = true;
        state.conntrack.push(ct.entry);
        events.push({
          kind: 'conntrack',
          action: 'confirm',
          state: 'NEW',
          entry: formatEntry(ct.entry),
        });
      }
      continue;
    }
    if (step === 'nat-dst' || step === 'nat-src') {
      const isDst = hook === 'PREROUTING' || hook === 'OUTPUT';
      if ((step === 'nat-dst') !== isDst) continue;
      const ct = ctx.skb.ct as { entry: ConntrackEntry; dir: string } | undefined;
      // NAT is decided on a connection's first packet only; without conntrack nat never runs.
      if (!ctOn || !ct || ct.entry.confirmed || ct.dir !== 'orig') continue;
      const t = state.tables.get('nat');
      if (t) v = runTable(t, packet, ctx, events);
    } else {
      const t = state.tables.get(step);
      if (t) v = runTable(t, packet, ctx, events);
    }
    if (v.kind !== 'ACCEPT') return { verdict: v, packet, mark: ctx.skb.mark, events };
  }
  return { verdict: { kind: 'ACCEPT' }, packet, mark: ctx.skb.mark, events };
}
