import type { World } from '../kernel/world';
import { BUILTIN_CHAINS, SAVE_ORDER } from '../netfilter/model';
import { chainOrder, conntrackEnabled } from '../netfilter/state';
import type { Hook, TableName } from './trace-types';

/**
 * A namespace's netfilter as the kernel runs it: at each of the five hooks, what is
 * registered there in priority order — the tables that have that base chain, conntrack and
 * its confirm step once conntrack is loaded, IPVS when it has services — and every chain and
 * rule of every table, as iptables-save prints them. Plain data, for the pipeline view.
 */
export interface PipelineStage {
  kind: 'table' | 'conntrack' | 'confirm' | 'ipvs';
  /** The kernel's priority at this hook (NF_IP_PRI_*). */
  priority: number;
  table?: TableName;
  /** For a table: its base chain's policy and how many rules it has. */
  policy?: 'ACCEPT' | 'DROP';
  rules?: number;
}

export interface PipelineChain {
  name: string;
  policy: 'ACCEPT' | 'DROP' | null;
  rules: string[];
}

export interface PipelineView {
  ns: string;
  hooks: { hook: Hook; stages: PipelineStage[] }[];
  tables: { name: TableName; chains: PipelineChain[] }[];
}

export const HOOKS: Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** include/uapi/linux/netfilter_ipv4.h: NF_IP_PRI_RAW … NF_IP_PRI_NAT_SRC. */
const TABLE_PRIORITY = (table: TableName, hook: Hook): number => {
  switch (table) {
    case 'raw':
      return -300;
    case 'mangle':
      return -150;
    case 'nat':
      // DNAT where the destination is decided (before routing), SNAT on the way out.
      return hook === 'PREROUTING' || hook === 'OUTPUT' ? -100 : 100;
    case 'filter':
      return 0;
    case 'security':
      return 50;
  }
};

export function pipelineOf(world: World, nsId: string): PipelineView | null {
  const ns = world.namespaces.get(nsId);
  if (!ns) return null;
  const nf = ns.netfilter;
  const ct = conntrackEnabled(nf);
  const hooks = HOOKS.map((hook) => {
    const stages: PipelineStage[] = [];
    for (const name of SAVE_ORDER) {
      const t = nf.tables.get(name);
      const chain = t?.chains.get(hook);
      if (!t || !chain || !BUILTIN_CHAINS[name].includes(hook)) continue;
      stages.push({
        kind: 'table',
        table: name,
        priority: TABLE_PRIORITY(name, hook),
        policy: chain.policy ?? 'ACCEPT',
        rules: chain.rules.length,
      });
    }
    if (ct && (hook === 'PREROUTING' || hook === 'OUTPUT'))
      stages.push({ kind: 'conntrack', priority: -200 });
    // nf_conntrack_confirm runs last, where the packet leaves netfilter for good.
    if (ct && (hook === 'INPUT' || hook === 'POSTROUTING'))
      stages.push({ kind: 'confirm', priority: 2147483647 });
    if (nf.ipvs.services.length && hook === 'INPUT') stages.push({ kind: 'ipvs', priority: 98 });
    stages.sort((a, b) => a.priority - b.priority);
    return { hook, stages };
  });
  const tables = SAVE_ORDER.flatMap((name) => {
    const t = nf.tables.get(name);
    if (!t) return [];
    return [
      {
        name,
        chains: chainOrder(t).map((c) => {
          const chain = t.chains.get(c)!;
          return { name: c, policy: chain.policy, rules: chain.rules.map((r) => r.text) };
        }),
      },
    ];
  });
  return { ns: nsId, hooks, tables };
}
