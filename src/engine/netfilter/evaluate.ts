import { formatIp4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import type { FinalVerdict, HookContext, HookResult, NfEventDraft, TableName } from './api';
import type { MatchEnv } from './match';
import { confirm, create, formatEntry, lookup, update, type CtRef } from './conntrack';
import { ipvsIn, ipvsOut } from './ipvs';
import { bind, manipIcmpError, manipOf, manipPacket, needsManip } from './nat';
import { conntrackEnabled, type NetfilterState } from './state';
import { runTable } from './walk';

type Step =
  TableName | 'ct' | 'nat-dst' | 'ipvs-local' | 'ipvs-in' | 'ipvs-out' | 'nat-src' | 'confirm';

/**
 * What runs at a hook, in kernel priority order: raw -300, conntrack -200, mangle -150,
 * nat (DNAT) -100, IPVS for local clients -98 (OUTPUT), filter 0, security 50, IPVS requests 98
 * (INPUT), IPVS replies 99 (INPUT, FORWARD), nat (SNAT) 100, conntrack confirm (last).
 */
const ORDER: Step[] = [
  'raw',
  'ct',
  'mangle',
  'nat-dst',
  'ipvs-local',
  'filter',
  'security',
  'ipvs-in',
  'ipvs-out',
  'nat-src',
  'confirm',
];

function endpoint(p: Packet, side: 'src' | 'dst'): string {
  const ip = formatIp4(side === 'src' ? p.ip.src : p.ip.dst);
  const l4 = p.l4;
  if (!l4 || l4.kind === 'icmp') return ip;
  return `${ip}:${side === 'src' ? l4.sport : l4.dport}`;
}

function ctState(ref: CtRef): 'NEW' | 'ESTABLISHED' | 'RELATED' {
  if (ref.related) return 'RELATED';
  return ref.dir === 'reply' || ref.entry.seenReply ? 'ESTABLISHED' : 'NEW';
}

/** The conntrack step (nf_conntrack_in): find or create the entry, or leave the packet INVALID. */
function conntrackIn(
  state: NetfilterState,
  packet: Packet,
  ctx: HookContext,
  events: NfEventDraft[],
): void {
  if (ctx.skb.ct === 'untracked') {
    events.push({ kind: 'conntrack', action: 'untracked', state: 'UNTRACKED', entry: '' });
    return;
  }
  if (ctx.skb.ct) return;
  const found = lookup(state, packet, ctx.now);
  if (found) {
    update(found, packet, ctx.now);
    ctx.skb.ct = found;
    events.push({
      kind: 'conntrack',
      action: 'hit',
      state: ctState(found),
      entry: formatEntry(found.entry, ctx.now),
    });
    return;
  }
  const entry = create(packet, ctx.now);
  if (!entry) return;
  ctx.skb.ct = { entry, dir: 'orig' } satisfies CtRef;
  events.push({
    kind: 'conntrack',
    action: 'new',
    state: 'NEW',
    entry: formatEntry(entry, ctx.now),
  });
}

/**
 * The nat step: on a connection's first packet the nat table decides the binding (a NAT target
 * or the null binding); every packet is then rewritten from the conntrack tuples alone.
 */
function natStep(
  state: NetfilterState,
  env: MatchEnv,
  events: NfEventDraft[],
): { verdict: FinalVerdict; packet: Packet } {
  const { ctx } = env;
  const manip = manipOf(ctx.hook);
  const ref = ctx.skb.ct as CtRef | 'untracked' | undefined;
  const packet = env.p;
  if (!manip || !ref || ref === 'untracked') return { verdict: { kind: 'ACCEPT' }, packet };
  if (ref.related) {
    if (!needsManip(ref.entry, ref.dir, manip)) return { verdict: { kind: 'ACCEPT' }, packet };
    const after = manipIcmpError(ref.entry, ref.dir, manip, packet);
    if (!after) return { verdict: { kind: 'ACCEPT' }, packet };
    const side = manip === 'DST' ? 'dst' : 'src';
    const back = ref.dir === 'reply';
    events.push({
      kind: 'nat',
      type: manip === 'DST' ? (back ? 'de-SNAT' : 'DNAT') : back ? 'de-DNAT' : 'SNAT',
      hook: ctx.hook,
      before: endpoint(packet, side),
      after: endpoint(after, side),
    });
    env.p = after;
    return { verdict: { kind: 'ACCEPT' }, packet: after };
  }
  const e = ref.entry;
  const done = manip === 'DST' ? e.dstNatDone : e.srcNatDone;
  let first: string | null = null;
  if (!done && ctState(ref) === 'NEW') {
    const nat = state.tables.get('nat');
    const v = nat ? runTable(nat, env, events) : ({ kind: 'ACCEPT' } as const);
    if (v.kind === 'DROP' || v.kind === 'REJECT') return { verdict: v, packet };
    const b = bind(state, e, manip, v.kind === 'NAT' ? v.target : null, packet, ctx);
    if (b && !b.ok)
      return {
        verdict: {
          kind: 'DROP',
          table: 'nat',
          chain: v.kind === 'NAT' ? v.chain : ctx.hook,
          rule: v.kind === 'NAT' ? v.rule : null,
          reason: `${b.type}: ${b.reason ?? `no address to use on ${ctx.outDev ?? ctx.inDev ?? '?'}`}`,
        },
        packet,
      };
    first = b?.type ?? null;
  }
  if (!needsManip(e, ref.dir, manip)) return { verdict: { kind: 'ACCEPT' }, packet };
  const after = manipPacket(e, ref.dir, manip, packet);
  if (!after) return { verdict: { kind: 'ACCEPT' }, packet };
  const type =
    ref.dir === 'reply'
      ? manip === 'DST'
        ? 'de-SNAT'
        : 'de-DNAT'
      : (first ?? (manip === 'DST' ? (e.dnatBy ?? 'DNAT') : (e.snatBy ?? 'SNAT')));
  const side = manip === 'DST' ? 'dst' : 'src';
  events.push({
    kind: 'nat',
    type: type as 'DNAT',
    hook: ctx.hook,
    before: endpoint(packet, side),
    after: endpoint(after, side),
  });
  env.p = after;
  return { verdict: { kind: 'ACCEPT' }, packet: after };
}

const IPVS_HOOKS: Record<'ipvs-local' | 'ipvs-in' | 'ipvs-out', HookContext['hook'][]> = {
  'ipvs-local': ['OUTPUT'],
  'ipvs-in': ['INPUT'],
  'ipvs-out': ['INPUT', 'FORWARD'],
};

/**
 * IPVS at its hooks. A request to a virtual service is scheduled and (masquerade) rewritten;
 * with net.ipv4.vs.conntrack=1, as kube-proxy sets it, the conntrack entry's reply tuple is
 * pointed at the real server so its answers are tracked. A real server's reply gets the virtual
 * address back.
 */
function ipvsStep(
  state: NetfilterState,
  step: 'ipvs-local' | 'ipvs-in' | 'ipvs-out',
  env: MatchEnv,
  events: NfEventDraft[],
): HookResult['stolen'] | null {
  const { ctx } = env;
  if (!IPVS_HOOKS[step].includes(ctx.hook)) return null;
  if (step === 'ipvs-out') {
    const r = ipvsOut(state.ipvs, env.p);
    if (!r) return null;
    events.push({ kind: 'nat', type: 'de-DNAT', hook: ctx.hook, before: r.before, after: r.after });
    env.p = r.packet;
    return null;
  }
  const r = ipvsIn(state.ipvs, env.p, { rng: ctx.rng, now: ctx.now });
  if (r.kind === 'none') return null;
  if (r.kind === 'no-dest') return null;
  events.push({ kind: 'nat', type: 'DNAT', hook: ctx.hook, before: r.before, after: r.after });
  const ref = ctx.skb.ct as CtRef | 'untracked' | undefined;
  if (
    ref &&
    ref !== 'untracked' &&
    ref.dir === 'orig' &&
    !ref.entry.confirmed &&
    r.packet.l4?.kind !== 'icmp'
  ) {
    ref.entry.reply = { ...ref.entry.reply, src: r.dest.ip, sport: r.dest.port };
  }
  env.p = r.packet;
  if (step === 'ipvs-local') return null;
  return { by: 'ipvs', service: r.before, realServer: r.after };
}

/** The packet at one hook: every registered table in kernel priority order, with conntrack and NAT. */
export function runHook(state: NetfilterState, packet: Packet, ctx: HookContext): HookResult {
  const events: NfEventDraft[] = [];
  const ctOn = conntrackEnabled(state);
  const hook = ctx.hook;
  const env: MatchEnv = { p: packet, ctx, state, ct: undefined };
  const result = (verdict: FinalVerdict): HookResult => ({
    verdict,
    packet: env.p,
    mark: ctx.skb.mark,
    events,
  });
  for (const step of ORDER) {
    env.ct = ctx.skb.ct as MatchEnv['ct'];
    if (step === 'ct') {
      if (ctOn && (hook === 'PREROUTING' || hook === 'OUTPUT'))
        conntrackIn(state, env.p, ctx, events);
      continue;
    }
    if (step === 'confirm') {
      const ref = ctx.skb.ct as CtRef | 'untracked' | undefined;
      if (
        ctOn &&
        ref &&
        ref !== 'untracked' &&
        !ref.entry.confirmed &&
        (hook === 'POSTROUTING' || hook === 'INPUT')
      ) {
        confirm(state, ref.entry);
        events.push({
          kind: 'conntrack',
          action: 'confirm',
          state: 'NEW',
          entry: formatEntry(ref.entry, ctx.now),
        });
      }
      continue;
    }
    if (step === 'ipvs-local' || step === 'ipvs-in' || step === 'ipvs-out') {
      if (!ctx.ipvs || state.ipvs.services.length === 0) continue;
      const stolen = ipvsStep(state, step, env, events);
      if (stolen) return { ...result({ kind: 'ACCEPT' }), stolen };
      continue;
    }
    if (step === 'nat-dst' || step === 'nat-src') {
      // Without conntrack the nat table never runs.
      if (!ctOn || (step === 'nat-dst') !== (manipOf(hook) === 'DST')) continue;
      const r = natStep(state, env, events);
      if (r.verdict.kind !== 'ACCEPT') return result(r.verdict);
      continue;
    }
    const t = state.tables.get(step);
    if (!t) continue;
    const v = runTable(t, env, events);
    // A NAT target outside the nat table cannot be loaded (restore refuses it).
    if (v.kind !== 'ACCEPT' && v.kind !== 'NAT') return result(v);
  }
  return result({ kind: 'ACCEPT' });
}
