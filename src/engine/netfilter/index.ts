export * from './api';
export {
  createNetfilterState,
  save,
  conntrackEnabled,
  chainOrder,
  SAVE_DATE,
  type NetfilterState,
  type SaveOptions,
} from './state';
export { restore, type RestoreOptions } from './restore';
export { runHook } from './evaluate';
export { parseRule } from './parse-rule';
export { printRule } from './print-rule';
export {
  listTables,
  listTable,
  listRule,
  formatCount,
  type Counters,
  type ListCounters,
} from './list';
export type { Rule, Chain, Table, MatchModule, Target } from './model';
export { formatEntry, type ConntrackEntry } from './conntrack';
export {
  createSet,
  addMember,
  delMember,
  setTest,
  listSet,
  ipsetRestore,
  type IpSet,
  type SetType,
} from './ipset';
export {
  addService,
  addDest,
  findService,
  ipvsIn,
  ipvsOut,
  ipvsadmList,
  ipvsRestore,
  type IpvsState,
  type IpvsService,
  type IpvsDest,
  type IpvsResult,
  type Scheduler,
} from './ipvs';
import { conntrackText } from './conntrack';
import { listSet } from './ipset';
import { ipvsadmList } from './ipvs';
import type { NetfilterState } from './state';

/** `conntrack -L` (the entries; the tool's summary line goes to stderr and is left out). */
export function conntrackList(state: NetfilterState, now?: number): string {
  return conntrackText(state.conntrack, now);
}

/** `ipset list`: every set, separated by a blank line, with how many rules reference each. */
export function ipsetList(state: NetfilterState): string {
  const refs = new Map<string, number>();
  for (const t of state.tables.values())
    for (const c of t.chains.values())
      for (const r of c.rules)
        for (const m of r.matches)
          if (m.mod === 'set') refs.set(m.name, (refs.get(m.name) ?? 0) + 1);
  return [...state.sets.values()].map((s) => listSet(s, refs.get(s.name) ?? 0)).join('\n\n');
}

/** `ipvsadm -Ln`. */
export function ipvsadm(state: NetfilterState): string {
  return ipvsadmList(state.ipvs);
}
