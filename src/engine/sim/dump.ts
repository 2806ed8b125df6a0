import type { Netns } from '../kernel/netns';
import { formatRoute } from '../kernel/routing';
import type { World } from '../kernel/world';
import { conntrackList, ipsetList, ipvsadm, save } from '../netfilter/index';
import { formatIp4 } from '../wire/ip';

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

/** `ip route show table all` (IPv4): main first, then local, as iproute2 orders them. */
function routes(ns: Netns): string {
  const lines = [
    ...ns.tables.main.routes.map((r) => formatRoute(r, 'main')),
    ...ns.tables.local.routes.map((r) => formatRoute(r, 'local')),
  ];
  return lines.join('\n');
}

function neigh(ns: Netns): string {
  const lines: string[] = [];
  for (const [dev, table] of ns.neigh) {
    for (const [ip, e] of table)
      lines.push(`${formatIp4(ip)} dev ${dev} lladdr ${e.mac} ${e.state}`);
  }
  return lines.join('\n');
}

/** `bridge fdb show` for the bridges of the namespace (learned and permanent entries). */
function fdb(ns: Netns): string {
  const lines: string[] = [];
  for (const [br, table] of ns.fdb) {
    for (const [mac, e] of table) {
      if (e.port === br)
        lines.push(
          `${mac} dev ${br} vlan 1 master ${br} permanent`,
          `${mac} dev ${br} master ${br} permanent`,
        );
      else
        lines.push(
          `${mac} dev ${e.port} ${e.local ? 'vlan 1 ' : ''}master ${br} ${e.local ? 'permanent' : ''}`.trimEnd(),
        );
    }
  }
  return lines.join('\n');
}

function flags(up: boolean, kind: string): string {
  if (kind === 'loopback') return '<LOOPBACK,UP,LOWER_UP>';
  return up ? '<BROADCAST,MULTICAST,UP,LOWER_UP>' : '<BROADCAST,MULTICAST>';
}

function ifName(world: World, ns: Netns, name: string): string {
  const d = ns.devices.get(name);
  if (d?.kind === 'veth' && d.peer) {
    const peer = world.namespaces.get(d.peer.ns)?.devices.get(d.peer.dev);
    return `${name}@if${peer?.ifindex ?? '?'}`;
  }
  return name;
}

/** `ip -br link`: name, state, MAC, flags in iproute2's padded columns. */
function links(world: World, ns: Netns): string {
  return [...ns.devices.values()]
    .map(
      (d) =>
        `${ifName(world, ns, d.name).padEnd(16)} ${(d.kind === 'loopback' ? 'UNKNOWN' : d.up ? 'UP' : 'DOWN').padEnd(14)} ${(d.mac ?? '').padEnd(17)} ${flags(d.up, d.kind)}`,
    )
    .join('\n');
}

/** `ip -br addr` (IPv4). */
function addrs(world: World, ns: Netns): string {
  return [...ns.devices.values()]
    .map((d) =>
      `${ifName(world, ns, d.name).padEnd(16)} ${(d.kind === 'loopback' ? 'UNKNOWN' : d.up ? 'UP' : 'DOWN').padEnd(14)} ${d.addrs.map((a) => `${formatIp4(a.ip)}/${a.prefix.len}`).join(' ')}`.trimEnd(),
    )
    .join('\n');
}

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
      return { text: routes(ns) };
    case 'neigh':
      return { text: neigh(ns) };
    case 'fdb':
      return { text: fdb(ns) };
    case 'links':
      return { text: links(world, ns) };
    case 'addrs':
      return { text: addrs(world, ns) };
    case 'iptables-save':
      return { text: save(ns.netfilter, { header: true }) };
    case 'conntrack':
      return { text: conntrackList(ns.netfilter, world.now) };
    case 'ipvsadm':
      return { text: ipvsadm(ns.netfilter) };
    case 'ipset':
      return { text: ipsetList(ns.netfilter) };
    case 'iptables-list':
      return { error: '`iptables -L -n -v` output is not available yet; use --what iptables-save' };
  }
}
