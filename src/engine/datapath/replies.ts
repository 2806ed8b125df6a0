import { primaryAddress, type Netns } from '../kernel/netns';
import type { Ip4 } from '../wire/ip';
import { IPPROTO, type Packet } from '../wire/packet';
import { lookupRoute } from './route';

/**
 * The ICMP error the kernel sends back about `orig` (`icmp_send`): from the address the
 * route back uses, carrying the offending header. null for a packet that must not be
 * answered (an ICMP error itself) or cannot be (no route back to its source).
 */
export function icmpError(ns: Netns, orig: Packet, type: number, code: number): Packet | null {
  if (orig.l4?.kind === 'icmp' && orig.l4.type !== 8 && orig.l4.type !== 0) return null;
  const back = lookupRoute(ns, orig.ip.src).route;
  // icmp_send routes the error first: with no way back to the source there is nothing to send.
  if (!back || (back.type !== 'unicast' && back.type !== 'local')) return null;
  const src = (back?.src ??
    (back?.dev ? primaryAddress(ns, back.dev) : undefined) ??
    orig.ip.dst) as Ip4;
  const quoted = 28;
  return {
    ip: { src, dst: orig.ip.src, proto: IPPROTO.icmp, ttl: 64, len: 20 + 8 + quoted },
    l4: { kind: 'icmp', type, code, id: 0, seq: 0 },
    inner: { ip: orig.ip, ...(orig.l4 ? { l4: orig.l4 } : {}), payloadLen: 0 },
    payloadLen: quoted,
  };
}

/** `tcp_v4_send_reset`: RST,ACK from the address and port the SYN was sent to. */
export function tcpReset(orig: Packet): Packet | null {
  if (orig.l4?.kind !== 'tcp') return null;
  return {
    ip: { src: orig.ip.dst, dst: orig.ip.src, proto: IPPROTO.tcp, ttl: 64, len: 40 },
    l4: { kind: 'tcp', sport: orig.l4.dport, dport: orig.l4.sport, flags: 'RA' },
    payloadLen: 0,
  };
}
