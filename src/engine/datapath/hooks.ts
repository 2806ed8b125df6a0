import type { AddrType, HookContext, SkbState } from '../netfilter/api';
import { runHook } from '../netfilter/index';
import { primaryAddress, type Netns } from '../kernel/netns';
import { icmpError, tcpReset } from './replies';
import { lookupRoute } from './route';
import type { Hook } from '../sim/trace-types';
import type { Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import { toView } from '../wire/view';
import type { Fate, WalkContext } from './context';

export interface HookDevs {
  inDev?: string;
  outDev?: string;
  physIn?: string;
  physOut?: string;
}

export type HookOutcome = { ok: true; packet: Packet } | { ok: false; fate: Fate };

export function newSkb(): SkbState {
  return { mark: 0, ct: undefined };
}

/** Classifies an address the way the kernel's `inet_addr_type` does, from the local table. */
export function addrTypeIn(ns: Netns, ip: Ip4): AddrType {
  const r = ns.tables.local.lookup(ip);
  if (r?.type === 'local') return 'LOCAL';
  if (r?.type === 'broadcast' || ip === 0xffffffff) return 'BROADCAST';
  if (ip >>> 28 === 14) return 'MULTICAST';
  return 'UNICAST';
}

/**
 * The packet reaches `hook` in `ns`: record the hook entry, let netfilter walk the tables
 * registered there, and turn DROP/REJECT into the walk's fate.
 */
export function passHook(
  ctx: WalkContext,
  ns: Netns,
  hook: Hook,
  family: 'ipv4' | 'bridge',
  packet: Packet,
  skb: SkbState,
  devs: HookDevs,
): HookOutcome {
  ctx.emit(
    ns,
    {
      kind: 'hook',
      hook,
      family,
      ...(devs.inDev || devs.outDev ? { dev: devs.outDev ?? devs.inDev } : {}),
    },
    packet,
  );
  const hctx: HookContext = {
    hook,
    family,
    ...devs,
    addrType: (ip) => addrTypeIn(ns, ip),
    masqueradeAddress: (dev, dst) => lookupRoute(ns, dst).route?.src ?? primaryAddress(ns, dev),
    devAddress: (dev) => primaryAddress(ns, dev),
    skb,
    rng: ctx.rng,
    now: ctx.world.now,
  };
  const res = runHook(ns.netfilter, packet, hctx);
  for (const draft of res.events) {
    // A rewrite shows the headers on both sides of it: at one hook there is at most one NAT
    // binding per direction, so the hook's input and output packets are its before and after.
    if (draft.kind === 'nat')
      ctx.emit(ns, { ...draft, prev: draft.prev ?? toView(packet) } as never, res.packet);
    else ctx.emit(ns, draft as never, undefined);
  }
  skb.mark = res.mark;
  const v = res.verdict;
  if (v.kind === 'ACCEPT') return { ok: true, packet: res.packet };
  const where = `${v.table} ${v.chain}`;
  if (v.kind === 'DROP' && v.reason) {
    // Netfilter gave up on the ruleset itself (a jump loop): the walk ends, saying why.
    const loop = /loop/i.test(v.reason);
    return {
      ok: false,
      fate: ctx.drop(
        ns,
        res.packet,
        loop ? 'nf-loop' : 'nf-drop',
        `${v.reason} (in ${where} at ${hook})`,
        where,
        loop ? 'loop' : 'dropped',
      ),
    };
  }
  if (v.kind === 'DROP') {
    const message =
      v.rule === null ? `DROP by the policy of ${where} at ${hook}` : `DROP in ${where}: ${v.rule}`;
    return { ok: false, fate: ctx.drop(ns, res.packet, 'nf-drop', message, where) };
  }
  // REJECT drops the packet and has the kernel answer it: a RST for tcp-reset, else the
  // ICMP destination-unreachable code --reject-with names (nf_send_unreach / nf_send_reset).
  const message = `REJECT (${v.with}) in ${where}: ${v.rule}`;
  const reply =
    v.with === 'tcp-reset'
      ? tcpReset(res.packet)
      : icmpError(ns, res.packet, 3, rejectCode(v.with));
  ctx.emit(ns, { kind: 'drop', reason: 'nf-reject', message, where }, res.packet);
  if (!reply) return { ok: false, fate: { kind: 'rejected', ns, reason: 'nf-reject', message } };
  return {
    ok: false,
    fate: { kind: 'answered', ns, reason: 'nf-reject', message, answer: reply, answerFrom: ns },
  };
}

const REJECT_CODES: Record<string, number> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-proto-unreachable': 2,
  'icmp-port-unreachable': 3,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
};

function rejectCode(with_: string): number {
  return REJECT_CODES[with_] ?? 3;
}
