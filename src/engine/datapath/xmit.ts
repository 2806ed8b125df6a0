import type { SkbState } from '../netfilter/api';
import type { Device } from '../kernel/device';
import type { Netns } from '../kernel/netns';
import type { Packet } from '../wire/packet';
import type { Fate, WalkContext } from './context';
import { bridgeXmit } from './bridge';
import { newSkb } from './hooks';
import { netifReceive } from './input';
import { tunXmit, vxlanXmit } from './tunnel';

/** `dev_queue_xmit`: the frame leaves `dev` and arrives at the other end of its link. */
export function transmit(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  packet: Packet,
  skb: SkbState,
): Fate {
  if (!ctx.step()) return ctx.drop(ns, packet, 'loop', ctx.loopMessage(), dev.name, 'loop');
  const here = { node: ns.node, ns: ns.id, dev: dev.name };
  if (dev.kind === 'loopback') {
    ctx.emit(ns, { kind: 'transmit', link: 'loopback', from: here, to: here }, packet);
    return netifReceive(ctx, ns, dev, packet, skb);
  }
  if (dev.kind === 'bridge') return bridgeXmit(ctx, ns, dev, packet, skb);
  if (dev.kind === 'vxlan') return vxlanXmit(ctx, ns, dev, packet);
  if (dev.kind === 'dummy')
    return ctx.drop(
      ns,
      packet,
      'dummy',
      `${dev.name} is a dummy device: whatever is sent through it is discarded`,
      dev.name,
    );
  if (dev.kind === 'tun') return tunXmit(ctx, ns, dev, packet);
  if (dev.kind === 'veth' && dev.peer) {
    const peerNs = ctx.world.namespaces.get(dev.peer.ns);
    const peer = peerNs?.devices.get(dev.peer.dev);
    if (!peerNs || !peer)
      return ctx.drop(ns, packet, 'no-peer', `veth ${dev.name} has no peer`, dev.name);
    ctx.emit(
      ns,
      {
        kind: 'transmit',
        link: 'veth',
        from: here,
        to: { node: peerNs.node, ns: peerNs.id, dev: peer.name },
      },
      packet,
    );
    // Crossing into another namespace leaves skb->mark and the conntrack reference behind.
    return netifReceive(ctx, peerNs, peer, packet, peerNs === ns ? skb : newSkb());
  }
  if (dev.kind === 'phys' && dev.segment) {
    const seg = ctx.world.segments.get(dev.segment);
    for (const m of seg?.members ?? []) {
      const mNs = ctx.world.namespaces.get(m.ns);
      const mDev = mNs?.devices.get(m.dev);
      if (!mNs || !mDev || (mNs === ns && mDev === dev)) continue;
      if (mDev.mac === packet.eth?.dst) {
        ctx.emit(
          ns,
          {
            kind: 'transmit',
            link: 'wire',
            from: here,
            to: { node: mNs.node, ns: mNs.id, dev: mDev.name },
          },
          packet,
        );
        return netifReceive(ctx, mNs, mDev, packet, newSkb());
      }
    }
    return ctx.drop(
      ns,
      packet,
      'no-station',
      `no station with MAC ${packet.eth?.dst ?? '?'} on segment ${dev.segment}`,
      dev.name,
    );
  }
  return ctx.drop(
    ns,
    packet,
    'unsupported-device',
    `${dev.kind} device ${dev.name} cannot transmit yet`,
    dev.name,
  );
}
