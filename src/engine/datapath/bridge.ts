import type { SkbState } from '../netfilter/api';
import type { Device } from '../kernel/device';
import type { Netns } from '../kernel/netns';
import { BROADCAST_MAC, type Mac } from '../wire/mac';
import type { Packet } from '../wire/packet';
import type { Fate, WalkContext } from './context';
import { passHook } from './hooks';
import { ipRcv, routeInput } from './input';
import { transmit } from './xmit';

function fdbText(mac: Mac, port: string, bridge: string): string {
  return `${mac} dev ${port} master ${bridge}`;
}

function ports(ns: Netns, br: Device): Device[] {
  return [...ns.devices.values()].filter((d) => d.master === br.name && d.up);
}

/**
 * `br_handle_frame`: a frame arrives on a bridge port. The bridge learns the source MAC, and
 * with br_netfilter (bridge-nf-call-iptables=1) an IPv4 frame passes the IP hooks PREROUTING,
 * FORWARD and POSTROUTING with `-i/-o` set to the bridge and the ports visible to -m physdev.
 */
export function bridgeInput(
  ctx: WalkContext,
  ns: Netns,
  br: Device,
  inPort: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  const fdb = ns.fdb.get(br.name) ?? new Map();
  let learned: string | undefined;
  const src = packet.eth?.src;
  if (src && src !== BROADCAST_MAC && !fdb.get(src)?.local && fdb.get(src)?.port !== inPort.name) {
    fdb.set(src, { port: inPort.name, local: false });
    learned = fdbText(src, inPort.name, br.name);
  }
  const nf = ns.sysctl.bridgeNfCallIptables && packet.eth?.type === 0x0800;
  let pkt = packet;
  if (nf) {
    const pre = passHook(ctx, ns, 'PREROUTING', 'bridge', pkt, skb, {
      inDev: br.name,
      physIn: inPort.name,
    });
    if (!pre.ok) return pre.fate;
    if (pre.packet.ip.dst !== pkt.ip.dst) {
      // DNAT changed the destination: br_netfilter asks the router where it goes now and, when
      // that is this host or another interface, hands the packet to the IP layer.
      pkt = pre.packet;
      return routeInput(ctx, ns, br, pkt, skb);
    }
    pkt = pre.packet;
  }
  const dst = pkt.eth?.dst;
  if (dst === br.mac) {
    ctx.emit(
      ns,
      {
        kind: 'bridge',
        bridge: br.name,
        inPort: inPort.name,
        action: 'local',
        outPorts: [],
        fdb: null,
        ...(learned ? { learned } : {}),
      },
      pkt,
    );
    // PREROUTING already ran in the bridge when br_netfilter is on.
    return nf ? routeInput(ctx, ns, br, pkt, skb) : ipRcv(ctx, ns, br, pkt, skb);
  }
  const entry = dst ? fdb.get(dst) : undefined;
  if (entry && !entry.local) {
    const out = ns.devices.get(entry.port);
    if (!out)
      return ctx.drop(ns, pkt, 'no-port', `FDB points at missing port ${entry.port}`, br.name);
    if (out.name === inPort.name && !out.hairpin) {
      ctx.emit(
        ns,
        {
          kind: 'bridge',
          bridge: br.name,
          inPort: inPort.name,
          action: 'forward',
          outPorts: [],
          fdb: fdbText(dst!, out.name, br.name),
          ...(learned ? { learned } : {}),
        },
        pkt,
      );
      return ctx.drop(
        ns,
        pkt,
        'hairpin-off',
        `${br.name} does not send a frame back out of ${out.name}, the port it came in on (hairpin mode is off)`,
        br.name,
      );
    }
    ctx.emit(
      ns,
      {
        kind: 'bridge',
        bridge: br.name,
        inPort: inPort.name,
        action: out.name === inPort.name ? 'hairpin' : 'forward',
        outPorts: [out.name],
        fdb: fdbText(dst!, out.name, br.name),
        ...(learned ? { learned } : {}),
      },
      pkt,
    );
    return bridgeOut(ctx, ns, br, inPort, out, pkt, skb, nf);
  }
  // Unknown unicast or broadcast: flood to every other port; the owner of the MAC takes it.
  const others = ports(ns, br).filter((p) => p.name !== inPort.name);
  ctx.emit(
    ns,
    {
      kind: 'bridge',
      bridge: br.name,
      inPort: inPort.name,
      action: 'flood',
      outPorts: others.map((p) => p.name),
      fdb: null,
      ...(learned ? { learned } : {}),
    },
    pkt,
  );
  const owner = others.find((p) => {
    if (!p.peer) return false;
    const peer = ctx.world.namespaces.get(p.peer.ns)?.devices.get(p.peer.dev);
    return peer?.mac === dst;
  });
  if (!owner)
    return ctx.drop(ns, pkt, 'no-station', `no port of ${br.name} leads to ${dst ?? '?'}`, br.name);
  return bridgeOut(ctx, ns, br, inPort, owner, pkt, skb, nf);
}

function bridgeOut(
  ctx: WalkContext,
  ns: Netns,
  br: Device,
  inPort: Device,
  out: Device,
  packet: Packet,
  skb: SkbState,
  nf: boolean,
): Fate {
  let pkt = packet;
  if (nf) {
    const fwd = passHook(ctx, ns, 'FORWARD', 'bridge', pkt, skb, {
      inDev: br.name,
      outDev: br.name,
      physIn: inPort.name,
      physOut: out.name,
    });
    if (!fwd.ok) return fwd.fate;
    const post = passHook(ctx, ns, 'POSTROUTING', 'bridge', fwd.packet, skb, {
      outDev: br.name,
      physOut: out.name,
    });
    if (!post.ok) return post.fate;
    pkt = post.packet;
  }
  return transmit(ctx, ns, out, pkt, skb);
}

/** A frame the host itself sends through the bridge device (its IP is on the bridge). */
export function bridgeXmit(
  ctx: WalkContext,
  ns: Netns,
  br: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  const fdb = ns.fdb.get(br.name) ?? new Map();
  const dst = packet.eth?.dst;
  const entry = dst ? fdb.get(dst) : undefined;
  const out = entry ? ns.devices.get(entry.port) : undefined;
  if (!out) {
    const others = ports(ns, br);
    ctx.emit(
      ns,
      {
        kind: 'bridge',
        bridge: br.name,
        inPort: br.name,
        action: 'flood',
        outPorts: others.map((p) => p.name),
        fdb: null,
      },
      packet,
    );
    const owner = others.find(
      (p) => p.peer && ctx.world.namespaces.get(p.peer.ns)?.devices.get(p.peer.dev)?.mac === dst,
    );
    if (!owner)
      return ctx.drop(
        ns,
        packet,
        'no-station',
        `no port of ${br.name} leads to ${dst ?? '?'}`,
        br.name,
      );
    return transmit(ctx, ns, owner, packet, skb);
  }
  ctx.emit(
    ns,
    {
      kind: 'bridge',
      bridge: br.name,
      inPort: br.name,
      action: 'forward',
      outPorts: [out.name],
      fdb: fdbText(dst!, out.name, br.name),
    },
    packet,
  );
  return transmit(ctx, ns, out, packet, skb);
}
