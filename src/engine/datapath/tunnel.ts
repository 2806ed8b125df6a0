import type { SkbState } from '../netfilter/api';
import { TUNNEL_OVERHEAD, type Device } from '../kernel/device';
import type { Netns } from '../kernel/netns';
import { cidrContains, formatCidr4, formatIp4, type Ip4 } from '../wire/ip';
import type { Mac } from '../wire/mac';
import { IPPROTO, type Packet } from '../wire/packet';
import { toView } from '../wire/view';
import type { Fate, WalkContext } from './context';
import { newSkb } from './hooks';
import { netifReceive } from './input';
import { localOut } from './output';
import { lookupRoute } from './route';

const ZERO_MAC = '00:00:00:00:00:00' as Mac;

/**
 * The outer UDP source port: the kernel hashes the inner flow into the local port range
 * (udp_flow_src_port), so one inner flow always takes the same outer port.
 */
function flowSourcePort(inner: Packet): number {
  const l4 = inner.l4;
  const key = [inner.ip.src, inner.ip.dst, inner.ip.proto, l4 && l4.kind !== 'icmp' ? l4.sport : 0];
  let h = 0x811c9dc5;
  for (const n of key) {
    h ^= n >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 32768 + (h % (60999 - 32768 + 1));
}

function sourceFor(ns: Netns, local: Ip4 | null, remote: Ip4): Ip4 | undefined {
  if (local !== null) return local;
  const r = lookupRoute(ns, remote).route;
  return (
    r?.src ??
    (r?.dev ? ns.devices.get(r.dev)?.addrs.find((a) => a.scope !== 'host')?.ip : undefined)
  );
}

/**
 * `vxlan_xmit`: the frame's destination MAC picks the remote VTEP from the device's FDB (the
 * all-zeros entry for anything else); the frame is wrapped in UDP/IP and sent by the kernel
 * itself, so it walks OUTPUT and POSTROUTING of this namespace as a new packet.
 */
export function vxlanXmit(ctx: WalkContext, ns: Netns, dev: Device, frame: Packet): Fate {
  const cfg = dev.vxlan;
  if (!cfg)
    return ctx.drop(ns, frame, 'vxlan-config', `${dev.name} has no VXLAN settings`, dev.name);
  const dst = frame.eth?.dst;
  const entry = cfg.fdb.find((f) => f.mac === dst) ?? cfg.fdb.find((f) => f.mac === ZERO_MAC);
  if (!entry)
    return ctx.drop(
      ns,
      frame,
      'vxlan-no-fdb',
      `${dev.name} has no FDB entry for ${dst ?? '?'} and no default (00:00:00:00:00:00) VTEP: the frame is dropped`,
      dev.name,
    );
  const src = sourceFor(ns, cfg.local, entry.dst);
  if (src === undefined)
    return ctx.drop(
      ns,
      frame,
      'no-route',
      `no route to VTEP ${formatIp4(entry.dst)}`,
      dev.name,
      'no-route',
    );
  const innerLen = frame.ip.len + 14;
  const outer: Packet = {
    ip: { src, dst: entry.dst, proto: IPPROTO.udp, ttl: 64, len: innerLen + 8 + 8 + 20 },
    l4: { kind: 'udp', sport: flowSourcePort(frame), dport: cfg.dstport, len: innerLen + 8 + 8 },
    vxlan: { kind: 'vxlan', vni: cfg.vni },
    inner: frame,
    payloadLen: innerLen + 8,
  };
  ctx.emit(
    ns,
    {
      kind: 'encap',
      dev: dev.name,
      tunnel: 'vxlan',
      overhead: TUNNEL_OVERHEAD.vxlan,
      prev: toView(frame),
    },
    outer,
  );
  return localOut(ctx, ns, outer, newSkb());
}

/** Bytes of an ARP frame (Ethernet 14 + ARP 28) carried inside VXLAN. */
const ARP_FRAME = 42;

/**
 * One leg of an ARP exchange across VXLAN: the frame, wrapped like any other, leaves `from`
 * as a UDP datagram the kernel sends itself (route, OUTPUT, POSTROUTING, the underlay) and is
 * unwrapped by the VXLAN device at `to`. false when netfilter or routing stops it.
 */
export function vxlanArpLeg(
  ctx: WalkContext,
  from: Netns,
  fromDev: Device,
  to: Netns,
  toDev: Device,
  what: string,
): boolean {
  const cfg = fromDev.vxlan!;
  const dst = vtepOf(to, toDev);
  const src = dst === undefined ? undefined : sourceFor(from, cfg.local, dst);
  if (dst === undefined || src === undefined) return false;
  const outer: Packet = {
    ip: { src, dst, proto: IPPROTO.udp, ttl: 64, len: 20 + 8 + 8 + ARP_FRAME },
    l4: {
      kind: 'udp',
      sport: flowSourcePort({ ip: { src, dst, proto: 0, ttl: 0, len: 0 }, payloadLen: 0 }),
      dport: cfg.dstport,
      len: 8 + 8 + ARP_FRAME,
    },
    vxlan: { kind: 'vxlan', vni: cfg.vni },
    payloadLen: 8 + ARP_FRAME,
    app: what,
  };
  ctx.emit(
    from,
    { kind: 'encap', dev: fromDev.name, tunnel: 'vxlan', overhead: TUNNEL_OVERHEAD.vxlan },
    outer,
  );
  return localOut(ctx, from, outer, newSkb()).kind === 'delivered';
}

function vtepOf(ns: Netns, dev: Device): Ip4 | undefined {
  const cfg = dev.vxlan;
  if (!cfg) return undefined;
  if (cfg.local !== null) return cfg.local;
  const under = cfg.dev ? ns.devices.get(cfg.dev) : undefined;
  return under?.addrs.find((a) => a.scope !== 'host')?.ip;
}

/**
 * An IPIP device (`tunl0`, Calico's): no ARP, no link layer; the route's gateway is the
 * remote end. The outer header inherits the inner TTL (the fallback device's `ttl inherit`).
 */
export function ipipXmit(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  nexthop: Ip4,
): Fate {
  const src = sourceFor(ns, null, nexthop);
  if (src === undefined)
    return ctx.drop(
      ns,
      packet,
      'no-route',
      `no route to tunnel end ${formatIp4(nexthop)}`,
      dev.name,
      'no-route',
    );
  const inner: Packet = { ...packet };
  delete inner.eth;
  const outer: Packet = {
    ip: { src, dst: nexthop, proto: IPPROTO.ipip, ttl: inner.ip.ttl, len: inner.ip.len + 20 },
    inner,
    payloadLen: inner.ip.len,
  };
  ctx.emit(
    ns,
    {
      kind: 'encap',
      dev: dev.name,
      tunnel: 'ipip',
      overhead: TUNNEL_OVERHEAD.ipip,
      prev: toView(inner),
    },
    outer,
  );
  return localOut(ctx, ns, outer, newSkb());
}

/** An ARP frame inside VXLAN reaches the VXLAN device, which hands it to its ARP code. */
function arpReceive(ctx: WalkContext, ns: Netns, packet: Packet): Fate | null {
  const l4 = packet.l4;
  if (l4?.kind !== 'udp' || !packet.vxlan || !packet.app?.startsWith('ARP')) return null;
  const vx = [...ns.devices.values()].find(
    (d) => d.vxlan?.dstport === l4.dport && d.vxlan.vni === packet.vxlan!.vni && d.up,
  );
  if (!vx) return null;
  ctx.emit(
    ns,
    {
      kind: 'decap',
      dev: vx.name,
      tunnel: 'vxlan',
      overhead: TUNNEL_OVERHEAD.vxlan,
      prev: toView(packet),
    },
    packet,
  );
  return { kind: 'delivered', ns, packet, process: 'kernel', socketText: vx.name };
}

/**
 * A packet routed into a TUN device goes up to the process reading it (flanneld): it finds
 * the host owning the destination's subnet and sends the whole IP packet there in UDP, from
 * its own socket, so the datagram is a new packet of this namespace (OUTPUT, POSTROUTING).
 */
export function tunXmit(ctx: WalkContext, ns: Netns, dev: Device, packet: Packet): Fate {
  const cfg = dev.tun;
  const inner: Packet = { ...packet };
  delete inner.eth;
  const peer = cfg?.peers.find((p) => cidrContains(p.cidr, inner.ip.dst));
  if (!cfg || !peer)
    return ctx.drop(
      ns,
      inner,
      'tun-no-peer',
      `${cfg?.process ?? 'the process reading'} ${dev.name} knows no host for ${formatIp4(inner.ip.dst)}: the packet is dropped`,
      dev.name,
    );
  const src = sourceFor(ns, null, peer.ip);
  if (src === undefined)
    return ctx.drop(
      ns,
      inner,
      'no-route',
      `no route to ${formatIp4(peer.ip)}`,
      dev.name,
      'no-route',
    );
  ctx.emit(
    ns,
    {
      kind: 'relay',
      process: cfg.process,
      detail: `reads the packet from ${dev.name}; ${formatIp4(inner.ip.dst)} is in ${formatCidr4(peer.cidr)}, so it sends it to ${formatIp4(peer.ip)}:${cfg.port} in UDP`,
    },
    inner,
  );
  const outer: Packet = {
    ip: { src, dst: peer.ip, proto: IPPROTO.udp, ttl: 64, len: inner.ip.len + TUNNEL_OVERHEAD.udp },
    l4: { kind: 'udp', sport: cfg.port, dport: cfg.port, len: inner.ip.len + 8 },
    inner,
    payloadLen: inner.ip.len,
  };
  ctx.emit(
    ns,
    {
      kind: 'encap',
      dev: dev.name,
      tunnel: 'udp',
      overhead: TUNNEL_OVERHEAD.udp,
      prev: toView(inner),
    },
    outer,
  );
  return localOut(ctx, ns, outer, newSkb());
}

/**
 * A locally delivered packet that belongs to a tunnel: a VXLAN datagram on a VXLAN device's
 * port and VNI, or an IP-in-IP packet with tunl0 present. Returns null for anything else.
 */
export function tunnelReceive(
  ctx: WalkContext,
  ns: Netns,
  packet: Packet,
  _skb: SkbState,
): Fate | null {
  const inner = packet.inner;
  if (!inner) return arpReceive(ctx, ns, packet);
  if (packet.ip.proto === IPPROTO.ipip) {
    const tun = [...ns.devices.values()].find((d) => d.kind === 'ipip' && d.up);
    if (!tun) return null;
    ctx.emit(
      ns,
      {
        kind: 'decap',
        dev: tun.name,
        tunnel: 'ipip',
        overhead: TUNNEL_OVERHEAD.ipip,
        prev: toView(packet),
      },
      inner,
    );
    return netifReceive(ctx, ns, tun, inner, newSkb());
  }
  const l4 = packet.l4;
  const tun =
    l4?.kind === 'udp' && !packet.vxlan
      ? [...ns.devices.values()].find((d) => d.tun?.port === l4.dport && d.up)
      : undefined;
  if (tun) {
    ctx.emit(
      ns,
      {
        kind: 'relay',
        process: tun.tun!.process,
        detail: `receives the datagram on port ${tun.tun!.port} and writes the packet inside into ${tun.name}`,
      },
      packet,
    );
    ctx.emit(
      ns,
      {
        kind: 'decap',
        dev: tun.name,
        tunnel: 'udp',
        overhead: TUNNEL_OVERHEAD.udp,
        prev: toView(packet),
      },
      inner,
    );
    return netifReceive(ctx, ns, tun, inner, newSkb());
  }
  if (l4?.kind !== 'udp' || !packet.vxlan) return null;
  const vx = [...ns.devices.values()].find(
    (d) => d.vxlan?.dstport === l4.dport && d.vxlan.vni === packet.vxlan!.vni && d.up,
  );
  if (!vx) return null;
  ctx.emit(
    ns,
    {
      kind: 'decap',
      dev: vx.name,
      tunnel: 'vxlan',
      overhead: TUNNEL_OVERHEAD.vxlan,
      prev: toView(packet),
    },
    inner,
  );
  const learnFrom = inner.eth?.src;
  if (vx.vxlan!.learning && learnFrom && !vx.vxlan!.fdb.some((f) => f.mac === learnFrom))
    vx.vxlan!.fdb.push({ mac: learnFrom, dst: packet.ip.src });
  // The decapsulated frame starts a new life on the VXLAN device: no mark, no trace flag.
  return netifReceive(ctx, ns, vx, inner, newSkb());
}
