import type { TableName } from './api';
import { SAVE_ORDER, type Rule, type Table } from './model';
import type { ConntrackEntry } from './conntrack';

/** A namespace's netfilter: the tables that exist there, and its conntrack table. */
export interface NetfilterState {
  tables: Map<TableName, Table>;
  conntrack: ConntrackEntry[];
}

export function createNetfilterState(): NetfilterState {
  return { tables: new Map(), conntrack: [] };
}

function needsConntrack(r: Rule): boolean {
  return r.matches.some((m) => m.kind === 'ctstate');
}

/**
 * Conntrack is loaded per namespace on demand: only a rule that needs it switches it on (an
 * iptables nat table with empty chains does not — see docs/KERNEL-NOTES.md).
 */
export function conntrackEnabled(state: NetfilterState): boolean {
  for (const t of state.tables.values()) {
    for (const c of t.chains.values()) if (c.rules.some(needsConntrack)) return true;
  }
  return false;
}

/** What `iptables-save` prints (without its dated header and footer comments). */
export function save(state: NetfilterState): string {
  const out: string[] = [];
  for (const name of SAVE_ORDER) {
    const t = state.tables.get(name);
    if (!t) continue;
    out.push(`*${name}`);
    for (const c of t.chains.values()) out.push(`:${c.name} ${c.policy ?? '-'} [0:0]`);
    for (const c of t.chains.values()) for (const r of c.rules) out.push(r.text);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
