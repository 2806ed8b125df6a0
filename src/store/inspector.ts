import { create } from 'zustand';
import type { DumpWhat, TraceEvent } from '../protocol/messages';

export type InspectorTab = 'packet' | 'element' | 'tables' | 'traffic';

interface InspectorState {
  tab: InspectorTab;
  /** The canvas element clicked last (a box id of the topology). */
  selected: string | null;
  /** Whose tables: a node name or a pod namespace (`NS/POD`); null = the first node. */
  tablesOf: string | null;
  what: DumpWhat;
  /** Follow the packet: show the table of the namespace and tool the current step used. */
  follow: boolean;
  setTab(tab: InspectorTab): void;
  select(id: string | null): void;
  showTables(of: string | null, what?: DumpWhat): void;
  setWhat(what: DumpWhat): void;
  setFollow(on: boolean): void;
}

export const useInspector = create<InspectorState>()((set) => ({
  tab: 'packet',
  selected: null,
  tablesOf: null,
  what: 'iptables-save',
  follow: true,
  setTab: (tab) => set({ tab }),
  select: (selected) => set(selected ? { selected, tab: 'element' } : { selected }),
  showTables: (tablesOf, what) =>
    set((s) => ({ tablesOf, what: what ?? s.what, tab: 'tables', follow: false })),
  setWhat: (what) => set({ what, follow: false }),
  setFollow: (follow) => set({ follow }),
}));

/** Which tool's output shows what this step used: the route, the rule, the entry. */
export function toolFor(e: TraceEvent): DumpWhat | null {
  switch (e.kind) {
    case 'route':
      return 'routes';
    case 'netfilter':
    case 'nat':
      return 'iptables-save';
    case 'conntrack':
      return 'conntrack';
    case 'bridge':
      return 'fdb';
    case 'arp':
      return 'neigh';
    default:
      return null;
  }
}

/**
 * The line of the tool's output this step used, to light it: the same text the engine put in
 * the event (`ip route` syntax, the iptables-save rule, the conntrack entry, the FDB entry).
 * For iptables-save the table is given too, since a chain name can exist in several tables.
 */
export function usedLine(e: TraceEvent): { text: string; table?: string } | null {
  switch (e.kind) {
    case 'route':
      return e.route ? { text: e.route } : null;
    case 'netfilter':
      return e.rule && e.matched ? { text: e.rule, table: e.table } : null;
    case 'conntrack':
      return { text: e.entry };
    case 'bridge':
      return e.fdb ? { text: e.fdb } : null;
    case 'arp':
      return e.mac ? { text: `${e.ip} dev ${e.dev} lladdr ${e.mac}` } : null;
    default:
      return null;
  }
}

/** Indices of the lines of `dump` to light for this step. */
export function litLines(dump: string, what: DumpWhat, e: TraceEvent | undefined): Set<number> {
  const out = new Set<number>();
  if (!e) return out;
  const used = usedLine(e);
  if (!used || toolFor(e) !== what) return out;
  let table: string | null = null;
  dump.split('\n').forEach((line, i) => {
    if (line.startsWith('*')) table = line.slice(1).trim();
    if (used.table && table !== used.table) return;
    const l = line.trim();
    // Neighbour lines end with their state (REACHABLE, PERMANENT...): match on the prefix.
    if (l === used.text || (e.kind === 'arp' && l.startsWith(used.text))) out.add(i);
  });
  return out;
}
