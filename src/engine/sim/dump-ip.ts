import type { Device } from '../kernel/device';
import type { Netns } from '../kernel/netns';
import { formatRoute, type Route } from '../kernel/routing';
import type { World } from '../kernel/world';
import { formatIp4 } from '../wire/ip';

// What iproute2 prints, checked against `ip` and `bridge` on a real kernel
// (kernel-diff-dump.test.ts). IPv6 lines are left out: the engine models IPv4 only.

/** The FIB trie's order: by address, then the longer prefix, then the lower metric. */
function fibOrder(a: Route, b: Route): number {
  return a.dst.addr - b.dst.addr || b.dst.len - a.dst.len || a.metric - b.metric;
}

/** `ip -4 route show table all`: main, then local, each in FIB order. */
export function routesText(ns: Netns): string {
  return [
    ...[...ns.tables.main.routes].sort(fibOrder).map((r) => formatRoute(r, 'main')),
    ...[...ns.tables.local.routes].sort(fibOrder).map((r) => formatRoute(r, 'local')),
  ].join('\n');
}

/** `ip -4 neigh`. */
export function neighText(ns: Netns): string {
  const lines: string[] = [];
  for (const [dev, table] of ns.neigh)
    for (const [ip, e] of table)
      lines.push(`${formatIp4(ip)} dev ${dev} lladdr ${e.mac} ${e.state}`);
  return lines.join('\n');
}

function byIfindex(ns: Netns): Device[] {
  return [...ns.devices.values()].sort((a, b) => a.ifindex - b.ifindex);
}

/**
 * `bridge fdb show` without the multicast entries IPv6 and IGMP add: per bridge its own
 * address, per port what was learned there and the port's own address (permanent); per
 * VXLAN device its static entries toward remote VTEPs.
 */
export function fdbText(ns: Netns): string {
  const lines: string[] = [];
  for (const dev of byIfindex(ns)) {
    if (dev.kind === 'bridge') {
      const own = ns.fdb.get(dev.name);
      for (const [mac, e] of own ?? [])
        if (e.port === dev.name) lines.push(`${mac} dev ${dev.name} master ${dev.name} permanent`);
    }
    if (dev.master) {
      const table = ns.fdb.get(dev.master);
      for (const [mac, e] of table ?? [])
        if (e.port === dev.name && !e.local)
          lines.push(`${mac} dev ${dev.name} master ${dev.master}`);
      for (const [mac, e] of table ?? [])
        if (e.port === dev.name && e.local)
          lines.push(`${mac} dev ${dev.name} master ${dev.master} permanent`);
    }
    for (const f of dev.vxlan?.fdb ?? [])
      lines.push(`${f.mac} dev ${dev.name} dst ${formatIp4(f.dst)} self permanent`);
  }
  return lines.join('\n');
}

function ifName(world: World, ns: Netns, d: Device): string {
  // The fallback IPIP device has no lower device: iproute2 shows `tunl0@NONE`.
  if (d.kind === 'ipip') return `${d.name}@NONE`;
  if (d.kind !== 'veth' || !d.peer) return d.name;
  if (d.peer.ns === ns.id) return `${d.name}@${d.peer.dev}`;
  const peer = world.namespaces.get(d.peer.ns)?.devices.get(d.peer.dev);
  return `${d.name}@if${peer?.ifindex ?? '?'}`;
}

/** operstate: devices without a carrier notion (lo, a port-less bridge, vxlan, dummy, tun) say UNKNOWN. */
function state(ns: Netns, d: Device): string {
  if (!d.up) return 'DOWN';
  if (d.kind === 'veth' || d.kind === 'phys') return 'UP';
  if (d.kind === 'bridge' && [...ns.devices.values()].some((p) => p.master === d.name && p.up))
    return 'UP';
  return 'UNKNOWN';
}

function flags(d: Device): string {
  if (d.kind === 'loopback') return d.up ? '<LOOPBACK,UP,LOWER_UP>' : '<LOOPBACK>';
  if (d.kind === 'ipip') return d.up ? '<NOARP,UP,LOWER_UP>' : '<NOARP>';
  if (d.kind === 'tun')
    return d.up ? '<POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP>' : '<POINTOPOINT,MULTICAST,NOARP>';
  return d.up ? '<BROADCAST,MULTICAST,UP,LOWER_UP>' : '<BROADCAST,MULTICAST>';
}

function linkAddress(d: Device): string {
  if (d.kind === 'ipip') return '0.0.0.0';
  return d.mac ?? '';
}

/** `ip -br link`. */
export function linksText(world: World, ns: Netns): string {
  return byIfindex(ns)
    .map((d) =>
      // A TUN device has no link-layer address, and iproute2 leaves the column out.
      d.kind === 'tun'
        ? `${ifName(world, ns, d).padEnd(16)} ${state(ns, d).padEnd(14)} ${flags(d)}`
        : `${ifName(world, ns, d).padEnd(16)} ${state(ns, d).padEnd(14)} ${linkAddress(d).padEnd(17)} ${flags(d)}`,
    )
    .join('\n');
}

/** `ip -br -4 addr`... with every device listed, as `ip -br addr` lists them. */
export function addrsText(world: World, ns: Netns): string {
  return byIfindex(ns)
    .map((d) =>
      `${ifName(world, ns, d).padEnd(16)} ${state(ns, d).padEnd(14)} ${d.addrs.map((a) => `${formatIp4(a.ip)}/${a.prefix.len}`).join(' ')}`.trimEnd(),
    )
    .join('\n');
}
