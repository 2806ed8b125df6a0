import type { HookResult, SkbState } from '../netfilter/api';
import type { Netns } from '../kernel/netns';
import type { Packet } from '../wire/packet';
import type { Fate, WalkContext } from './context';
import { passHook } from './hooks';
import { finishOutput, routeAndRecord } from './output';

/**
 * IPVS took a request at LOCAL_IN (ip_vs_in) and rewrote it for a real server (masquerading
 * forward method). Like `ip_vs_nat_xmit`, the packet is routed to its new destination and sent
 * through LOCAL_OUT and POSTROUTING with the same skb — never reaching a socket on this node.
 */
export function ipvsNatXmit(
  ctx: WalkContext,
  ns: Netns,
  packet: Packet,
  skb: SkbState,
  stolen: NonNullable<HookResult['stolen']>,
): Fate {
  ctx.emit(
    ns,
    {
      kind: 'relay',
      process: 'ipvs',
      detail: `ip_vs_nat_xmit: virtual service ${stolen.service} → real server ${stolen.realServer}`,
    },
    packet,
  );
  const route = routeAndRecord(ctx, ns, packet);
  if (!route || route.type !== 'unicast')
    return ctx.drop(
      ns,
      packet,
      'no-route',
      `IPVS: no route to the real server ${stolen.realServer}`,
      'routing',
      'no-route',
    );
  const out = passHook(
    ctx,
    ns,
    'OUTPUT',
    'ipv4',
    packet,
    skb,
    route.dev ? { outDev: route.dev } : {},
  );
  if (!out.ok) return out.fate;
  return finishOutput(ctx, ns, out.packet, skb, route, undefined);
}
