import type { SkbState } from '../netfilter/api';
import type { Device } from '../kernel/device';
import type { Netns } from '../kernel/netns';
import type { Route } from '../kernel/routing';
import { BROADCAST_MAC } from '../wire/mac';
import { formatIp4, type Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import type { Fate, WalkContext } from './context';
import { passHook } from './hooks';
import { resolveNeighbour } from './neighbour';
import { lookupRoute, routeText } from './route';
import { answer } from './input';
import { icmpError } from './replies';
import { ipipXmit } from './tunnel';
import { transmit } from './xmit';

/** Routes `packet` in `ns` and records the decision; null when no usable route exists. */
export function routeAndRecord(ctx: WalkContext, ns: Netns, packet: Packet): Route | null {
  const r = lookupRoute(ns, packet.ip.dst);
  const route = r.route;
  const result = route ? route.type : 'unreachable';
  ctx.emit(
    ns,
    {
      kind: 'route',
      table: r.table.name,
      route: routeText(r),
      result:
        result === 'unicast' ||
        result === 'local' ||
        result === 'broadcast' ||
        result === 'blackhole' ||
        result === 'prohibit'
          ? result
          : 'unreachable',
      ...(route?.dev ? { dev: route.dev } : {}),
      ...(route?.via != null ? { via: formatIp4(route.via) } : {}),
    },
    packet,
  );
  return route;
}

function unroutable(ctx: WalkContext, ns: Netns, packet: Packet, route: Route | null): Fate {
  const dst = formatIp4(packet.ip.dst);
  if (route?.type === 'blackhole')
    return ctx.drop(
      ns,
      packet,
      'blackhole',
      `blackhole route for ${dst}: the kernel discards it silently`,
      'routing',
      'dropped',
    );
  if (route?.type === 'prohibit')
    return ctx.drop(
      ns,
      packet,
      'prohibit',
      `route to ${dst} is prohibit`,
      'routing',
      'unreachable',
    );
  return ctx.drop(ns, packet, 'no-route', `no route to ${dst}`, 'routing', 'no-route');
}

/**
 * A packet written by a local process (`ip_local_out`): route, OUTPUT, re-route if NAT changed
 * the destination, then POSTROUTING and transmission.
 */
export function localOut(ctx: WalkContext, ns: Netns, packet: Packet, skb: SkbState): Fate {
  let route = routeAndRecord(ctx, ns, packet);
  if (
    !route ||
    (route.type !== 'unicast' && route.type !== 'local' && route.type !== 'broadcast')
  ) {
    return unroutable(ctx, ns, packet, route);
  }
  // A packet for one of this host's own addresses leaves by lo, whatever device holds it.
  const outDev = route.type === 'local' ? 'lo' : (route.dev ?? undefined);
  const out = passHook(ctx, ns, 'OUTPUT', 'ipv4', packet, skb, outDev ? { outDev } : {});
  if (!out.ok) return out.fate;
  const pkt = out.packet;
  if (pkt.ip.dst !== packet.ip.dst) {
    // ip_route_me_harder: NAT in OUTPUT changed the destination, so the route is looked up again.
    route = routeAndRecord(ctx, ns, pkt);
    if (!route || (route.type !== 'unicast' && route.type !== 'local'))
      return unroutable(ctx, ns, pkt, route);
  }
  if (route.type === 'local') {
    const lo = ns.devices.get('lo');
    if (!lo) return ctx.drop(ns, pkt, 'no-lo', 'no loopback device', 'routing');
    route = { ...route, dev: 'lo' };
  }
  return finishOutput(ctx, ns, pkt, skb, route, undefined);
}

/** POSTROUTING, neighbour resolution and hand-off to the device (`ip_finish_output2`). */
export function finishOutput(
  ctx: WalkContext,
  ns: Netns,
  packet: Packet,
  skb: SkbState,
  route: Route,
  inDev: string | undefined,
): Fate {
  if (!ctx.step()) return ctx.drop(ns, packet, 'loop', ctx.loopMessage(), 'output', 'loop');
  const devName = route.dev ?? '';
  const dev = ns.devices.get(devName);
  if (!dev || !dev.up)
    return ctx.drop(
      ns,
      packet,
      'no-device',
      `device ${devName} is missing or down`,
      'output',
      'no-route',
    );
  const post = passHook(ctx, ns, 'POSTROUTING', 'ipv4', packet, skb, {
    outDev: devName,
    ...(inDev ? { inDev } : {}),
  });
  if (!post.ok) return post.fate;
  const pkt = post.packet;
  return sendOnDevice(
    ctx,
    ns,
    dev,
    pkt,
    skb,
    route.via ?? pkt.ip.dst,
    route.type === 'broadcast',
    inDev !== undefined,
  );
}

function sendOnDevice(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  skb: SkbState,
  nexthop: number,
  broadcast: boolean,
  forwarded: boolean,
): Fate {
  if (dev.kind === 'loopback') return transmit(ctx, ns, dev, packet, skb);
  // A point-to-point tunnel has no neighbours: the gateway is the far end of the tunnel.
  if (dev.kind === 'ipip') return ipipXmit(ctx, ns, dev, packet, nexthop as Ip4);
  // A TUN device is point-to-point and NOARP: the packet goes to its reader as it is.
  if (dev.kind === 'tun') return transmit(ctx, ns, dev, packet, skb);
  const mac = broadcast ? BROADCAST_MAC : resolveNeighbour(ctx, ns, dev, nexthop as never);
  if (!mac && forwarded) {
    // A router whose ARP for the next hop goes unanswered tells the sender: host unreachable.
    return answer(
      ctx,
      ns,
      packet,
      icmpError(ns, packet, 3, 1),
      'neigh-failed',
      `no ARP reply for ${formatIp4(nexthop as Ip4)} on ${dev.name}: ICMP host unreachable`,
      'no-route',
    );
  }
  if (!mac) {
    return ctx.drop(
      ns,
      packet,
      'neigh-failed',
      `no ARP reply for ${formatIp4(nexthop as never)} on ${dev.name}: host unreachable`,
      dev.name,
      'unreachable',
    );
  }
  const framed: Packet = {
    ...packet,
    eth: { src: dev.mac ?? BROADCAST_MAC, dst: mac, type: 0x0800 },
  };
  return transmit(ctx, ns, dev, framed, skb);
}

export function deviceOf(ns: Netns, name: string | null): Device | undefined {
  return name === null ? undefined : ns.devices.get(name);
}
