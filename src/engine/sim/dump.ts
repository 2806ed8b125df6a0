import type { World } from '../kernel/world';
import { conntrackList, save } from '../netfilter/index';
import { addrsText, fdbText, linksText, neighText, routesText } from './dump-ip';

export const DUMP_WHATS = [
  'iptables-save',
  'iptables-list',
  'ipset',
  'ipvsadm',
  'routes',
  'neigh',
  'fdb',
  'links',
  'addrs',
  'conntrack',
] as const;
export type DumpWhat = (typeof DUMP_WHATS)[number];

const IPVSADM_EMPTY = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
].join('\n');

/**
 * What a tool prints on a node (or in a pod's namespace, named `NS/POD`). An error for an
 * unknown node.
 */
export function dump(
  world: World,
  node: string,
  what: DumpWhat,
): { text: string } | { error: string } {
  const ns = world.namespaces.get(node);
  if (!ns) return { error: `no node or pod namespace named "${node}"` };
  switch (what) {
    case 'routes':
      return { text: routesText(ns) };
    case 'neigh':
      return { text: neighText(ns) };
    case 'fdb':
      return { text: fdbText(ns) };
    case 'links':
      return { text: linksText(world, ns) };
    case 'addrs':
      return { text: addrsText(world, ns) };
    case 'iptables-save':
      return { text: save(ns.netfilter) };
    case 'conntrack':
      return { text: conntrackList(ns.netfilter) };
    case 'ipvsadm':
      return { text: IPVSADM_EMPTY };
    case 'ipset':
      return { text: '' };
    case 'iptables-list':
      return { error: '`iptables -L -n -v` output is not available yet; use --what iptables-save' };
  }
}
