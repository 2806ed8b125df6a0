import type { SkbState } from '../netfilter/api';
import type { Device } from '../kernel/device';
import { deviceWithAddress, type Netns } from '../kernel/netns';
import { BROADCAST_MAC } from '../wire/mac';
import { formatIp4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import { endpointText } from '../wire/view';
import { bridgeInput } from './bridge';
import type { Fate, WalkContext } from './context';
import { passHook } from './hooks';
import { finishOutput, routeAndRecord } from './output';
import { lookupRoute } from './route';
import { icmpError, tcpReset } from './replies';
import { tunnelReceive } from './tunnel';

/** `netif_receive_skb`: a frame arrives on `dev`. A bridge port hands it to its bridge. */
export function netifReceive(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  if (!ctx.step()) return ctx.drop(ns, packet, 'loop', ctx.loopMessage(), dev.name, 'loop');
  if (dev.master) {
    const br = ns.devices.get(dev.master);
    if (br) return bridgeInput(ctx, ns, br, dev, packet, skb);
  }
  const dst = packet.eth?.dst;
  if (dev.kind !== 'loopback' && dst !== undefined && dst !== dev.mac && dst !== BROADCAST_MAC) {
    return ctx.drop(
      ns,
      packet,
      'other-host',
      `frame for ${dst} is not for ${dev.name} (${dev.mac ?? ''}): PACKET_OTHERHOST`,
      dev.name,
    );
  }
  return ipRcv(ctx, ns, dev, packet, skb);
}

/** `ip_rcv`: PREROUTING, then the routing decision. */
export function ipRcv(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  const pre = passHook(ctx, ns, 'PREROUTING', 'ipv4', packet, skb, { inDev: dev.name });
  if (!pre.ok) return pre.fate;
  return routeInput(ctx, ns, dev, pre.packet, skb);
}

function rpFilterRejects(ns: Netns, dev: Device, packet: Packet): boolean {
  const mode = Math.max(ns.sysctl.rpFilter, dev.rpFilter);
  if (mode === 0 || dev.kind === 'loopback') return false;
  const back = lookupRoute(ns, packet.ip.src).route;
  if (!back || back.type !== 'unicast') return true;
  return mode === 1 && back.dev !== dev.name;
}

const isLoopbackNet = (ip: number) => ip >>> 24 === 127;

/**
 * ip_route_input_slow's martian checks: 127.0.0.0/8 may only arrive on lo, unless
 * route_localnet is set (kube-proxy sets it so NodePorts answer on 127.0.0.1).
 */
function martianReason(ns: Netns, dev: Device, packet: Packet): string | null {
  if (dev.kind === 'loopback' || ns.sysctl.routeLocalnet) return null;
  if (isLoopbackNet(packet.ip.dst))
    return `martian destination ${formatIp4(packet.ip.dst)} from ${formatIp4(packet.ip.src)}, dev ${dev.name}: 127.0.0.0/8 arrives only on lo unless net.ipv4.conf.all.route_localnet=1`;
  if (isLoopbackNet(packet.ip.src))
    return `martian source ${formatIp4(packet.ip.dst)} from ${formatIp4(packet.ip.src)}, on dev ${dev.name}`;
  // fib_validate_source: a packet from outside claiming one of this namespace's own addresses
  // is a martian (accept_local is off) — which is also how a host stops its own packet coming
  // back round a routing loop.
  if (deviceWithAddress(ns, packet.ip.src))
    return `martian source ${formatIp4(packet.ip.dst)} from ${formatIp4(packet.ip.src)}, on dev ${dev.name}: ${formatIp4(packet.ip.src)} is this host's own address`;
  return null;
}

/** `ip_route_input` and what follows: local delivery, or forwarding. */
export function routeInput(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  const martian = martianReason(ns, dev, packet);
  if (martian) return ctx.drop(ns, packet, 'martian', martian, dev.name);
  const route = routeAndRecord(ctx, ns, packet);
  if (route?.type === 'local' || route?.type === 'broadcast') {
    if (rpFilterRejects(ns, dev, packet)) {
      return ctx.drop(
        ns,
        packet,
        'rp-filter',
        `rp_filter: the route back to ${formatIp4(packet.ip.src)} does not leave by ${dev.name}`,
        dev.name,
      );
    }
    return localDeliver(ctx, ns, dev, packet, skb);
  }
  if (!route || route.type !== 'unicast') {
    const dst = formatIp4(packet.ip.dst);
    if (route?.type === 'blackhole')
      return ctx.drop(ns, packet, 'blackhole', `blackhole route for ${dst}`, 'routing');
    // ip_error: an `unreachable` route answers host unreachable, `prohibit` administratively
    // prohibited, and no route at all network unreachable.
    const [code, what] =
      route?.type === 'unreachable'
        ? [1, 'an unreachable route: ICMP host unreachable']
        : route?.type === 'prohibit'
          ? [13, 'a prohibit route: ICMP communication administratively prohibited']
          : [0, 'no route: ICMP net unreachable'];
    const error = icmpError(ns, packet, 3, code);
    const unsent =
      error || packet.l4?.kind === 'icmp'
        ? ''
        : `; no route back to ${formatIp4(packet.ip.src)} either, so the error is not sent`;
    return answer(
      ctx,
      ns,
      packet,
      error,
      'no-route',
      `no route to ${dst} (${what}${unsent})`,
      'no-route',
    );
  }
  if (!ns.sysctl.ipForward) {
    return ctx.drop(
      ns,
      packet,
      'forwarding-off',
      `net.ipv4.ip_forward=0 on ${ns.id}: the packet is not for this host and is not forwarded`,
      'routing',
    );
  }
  if (rpFilterRejects(ns, dev, packet)) {
    return ctx.drop(
      ns,
      packet,
      'rp-filter',
      `rp_filter: the route back to ${formatIp4(packet.ip.src)} does not leave by ${dev.name}`,
      dev.name,
    );
  }
  if (packet.ip.ttl <= 1) {
    return answer(
      ctx,
      ns,
      packet,
      icmpError(ns, packet, 11, 0),
      'ttl-exceeded',
      `TTL exceeded at ${ns.id}`,
      'ttl-exceeded',
    );
  }
  // ip_forward decrements the TTL before the FORWARD hook runs.
  const aged: Packet = { ...packet, ip: { ...packet.ip, ttl: packet.ip.ttl - 1 } };
  const fwd = passHook(ctx, ns, 'FORWARD', 'ipv4', aged, skb, {
    inDev: dev.name,
    outDev: route.dev ?? undefined,
  });
  if (!fwd.ok) return fwd.fate;
  return finishOutput(ctx, ns, fwd.packet, skb, route, dev.name);
}

/** `ip_local_deliver`: INPUT, then the socket (or the kernel itself, for ICMP echo). */
export function localDeliver(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  const inp = passHook(ctx, ns, 'INPUT', 'ipv4', packet, skb, { inDev: dev.name });
  if (!inp.ok) return inp.fate;
  const pkt = inp.packet;
  const l4 = pkt.l4;
  if (l4?.kind === 'icmp') {
    if (l4.type === 8) {
      ctx.emit(
        ns,
        {
          kind: 'deliver',
          process: 'kernel',
          socket: 'icmp',
          src: formatIp4(pkt.ip.src),
          dst: formatIp4(pkt.ip.dst),
        },
        pkt,
      );
      return {
        kind: 'delivered',
        ns,
        packet: pkt,
        process: 'kernel',
        socketText: 'icmp',
        icmpEcho: true,
      };
    }
    ctx.emit(
      ns,
      {
        kind: 'deliver',
        process: 'kernel',
        socket: 'icmp',
        src: formatIp4(pkt.ip.src),
        dst: formatIp4(pkt.ip.dst),
      },
      pkt,
    );
    return { kind: 'delivered', ns, packet: pkt, process: 'kernel', socketText: 'icmp' };
  }
  const tunnelled = tunnelReceive(ctx, ns, pkt, skb);
  if (tunnelled) return tunnelled;
  if (!l4) return ctx.drop(ns, pkt, 'no-protocol', 'no handler for this IP protocol', 'local');
  const sock = ns.sockets.find(
    (s) => s.proto === l4.kind && s.port === l4.dport && (s.ip === 0 || s.ip === pkt.ip.dst),
  );
  if (!sock) {
    const where = `${formatIp4(pkt.ip.dst)}:${l4.dport}`;
    if (l4.kind === 'tcp') {
      return answer(
        ctx,
        ns,
        pkt,
        tcpReset(pkt),
        'refused',
        `nothing listens on ${where}/tcp: connection refused (TCP RST)`,
        'refused',
      );
    }
    return answer(
      ctx,
      ns,
      pkt,
      icmpError(ns, pkt, 3, 3),
      'refused',
      `nothing listens on ${where}/udp: ICMP port unreachable`,
      'refused',
    );
  }
  const socketText = `${sock.ip === 0 ? '0.0.0.0' : formatIp4(sock.ip)}:${sock.port}`;
  ctx.emit(
    ns,
    {
      kind: 'deliver',
      process: sock.process,
      socket: socketText,
      src: endpointText(pkt.ip.src, l4.sport),
      dst: endpointText(pkt.ip.dst, l4.dport),
    },
    pkt,
  );
  return { kind: 'delivered', ns, packet: pkt, process: sock.process, socketText };
}

/** The packet ends here and the kernel answers it (an ICMP error, a RST) back to its source. */
export function answer(
  ctx: WalkContext,
  ns: Netns,
  packet: Packet,
  reply: Packet | null,
  reason: string,
  message: string,
  kind: 'refused' | 'no-route' | 'ttl-exceeded',
): Fate {
  if (!reply) return ctx.drop(ns, packet, reason, message, 'local', kind);
  ctx.emit(ns, { kind: 'drop', reason, message, where: ns.id }, packet);
  return { kind: 'answered', ns, reason, message, answer: reply, answerFrom: ns };
}

export { BROADCAST_MAC };
