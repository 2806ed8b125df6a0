import type { Ip4 } from '../wire/ip';
import { IPPROTO, type Packet } from '../wire/packet';
import type { FlowSpec } from './trace-types';

/** The first packet of a flow: a SYN, a UDP datagram, an echo request. */
export function firstPacket(
  proto: FlowSpec['proto'],
  src: Ip4,
  dst: Ip4,
  sport: number,
  dport: number | undefined,
  id: number,
): Packet {
  const ip = { src, dst, ttl: 64 };
  if (proto === 'tcp')
    return {
      ip: { ...ip, proto: IPPROTO.tcp, len: 60 },
      l4: { kind: 'tcp', sport, dport: dport ?? 80, flags: 'S' },
      payloadLen: 0,
    };
  if (proto === 'udp')
    return {
      ip: { ...ip, proto: IPPROTO.udp, len: 60 },
      l4: { kind: 'udp', sport, dport: dport ?? 80, len: 40 },
      payloadLen: 32,
    };
  return {
    ip: { ...ip, proto: IPPROTO.icmp, len: 84 },
    l4: { kind: 'icmp', type: 8, code: 0, id, seq: 1 },
    payloadLen: 56,
  };
}

/** The answer of the receiving side to the packet it got: SYN-ACK, a UDP reply, an echo reply. */
export function answerTo(p: Packet): Packet {
  const ip = { ...p.ip, src: p.ip.dst, dst: p.ip.src, ttl: 64 };
  const l4 = p.l4;
  if (l4?.kind === 'tcp')
    return {
      ip,
      l4: { kind: 'tcp', sport: l4.dport, dport: l4.sport, flags: 'SA' },
      payloadLen: 0,
    };
  if (l4?.kind === 'udp')
    return { ip, l4: { ...l4, sport: l4.dport, dport: l4.sport }, payloadLen: p.payloadLen };
  if (l4?.kind === 'icmp') return { ip, l4: { ...l4, type: 0 }, payloadLen: p.payloadLen };
  return { ip, payloadLen: p.payloadLen };
}
