/**
 * `-m recent` (xt_recent): named lists of addresses with the times they were seen, kept per
 * network namespace. Time is the injected simulation clock; each address remembers its last
 * 20 timestamps (ip_pkt_list_tot).
 */
import type { Packet } from '../wire/packet';
import type { HookContext } from './api';
import type { MatchModule } from './model';
import type { NetfilterState } from './state';

export const PKT_LIST_TOT = 20;

export interface RecentEntry {
  addr: number;
  ttl: number;
  stamps: number[];
}
export interface RecentTable {
  name: string;
  /** By masked address, in least-recently-updated order (the kernel's lru list). */
  entries: Map<number, RecentEntry>;
}

type Recent = Extract<MatchModule, { mod: 'recent' }>;

function table(state: NetfilterState, name: string): RecentTable {
  let t = state.recent.get(name);
  if (!t) {
    t = { name, entries: new Map() };
    state.recent.set(name, t);
  }
  return t;
}

function touch(t: RecentTable, e: RecentEntry, now: number): void {
  e.stamps.push(now);
  if (e.stamps.length > PKT_LIST_TOT) e.stamps.shift();
  t.entries.delete(e.addr);
  t.entries.set(e.addr, e);
}

/** recent_mt: the match's verdict for this packet, updating the list as the kernel does. */
export function recentMatch(
  state: NetfilterState,
  m: Recent,
  p: Packet,
  ctx: HookContext,
): boolean {
  const addr = ((m.side === 'rdest' ? p.ip.dst : p.ip.src) & m.mask) >>> 0;
  // The TTL as seen before forwarding (the kernel adds back the hop a forwarded packet lost).
  const ttl = p.ip.ttl + (ctx.hook === 'FORWARD' ? 1 : 0);
  const t = table(state, m.name);
  let ret = m.neg;
  const e = t.entries.get(addr);
  const now = ctx.now;
  if (!e || (m.rttl && e.ttl !== ttl)) {
    if (m.action !== 'set') return ret;
    touch(t, { addr, ttl, stamps: [] }, now);
    return !ret;
  }
  if (m.action === 'set') ret = !ret;
  else if (m.action === 'remove') {
    t.entries.delete(addr);
    return !ret;
  } else {
    const since = now - m.seconds;
    let hits = 0;
    for (const s of e.stamps) {
      if (m.seconds && s < since) continue;
      if (!m.hitcount || ++hits >= m.hitcount) {
        ret = !ret;
        break;
      }
    }
    if (m.reap) {
      for (const [a, other] of t.entries)
        if (other !== e && (other.stamps.at(-1) ?? 0) < since) t.entries.delete(a);
    }
  }
  if (m.action === 'set' || (m.action === 'update' && ret)) {
    touch(t, e, now);
    e.ttl = ttl;
  }
  return ret;
}
