import type { Ip4 } from './ip';
import type { Mac } from './mac';
import type { DnsMessage, HttpMessage } from '../sim/trace-types';

export type L4Proto = 'tcp' | 'udp' | 'icmp';

/** IP protocol numbers as the kernel and iptables know them. */
export const IPPROTO: Record<L4Proto | 'ipip', number> = { icmp: 1, ipip: 4, tcp: 6, udp: 17 };

export interface EthHeader {
  src: Mac;
  dst: Mac;
  /** EtherType: 0x0800 IPv4, 0x0806 ARP. */
  type: number;
}

export interface Ip4Header {
  src: Ip4;
  dst: Ip4;
  /** IP protocol number (6 tcp, 17 udp, 1 icmp, 4 ipip). */
  proto: number;
  ttl: number;
  /** Total length in bytes (header + payload). */
  len: number;
}

export interface TcpHeader {
  kind: 'tcp';
  sport: number;
  dport: number;
  /** "S", "SA", "A", "R", "RA", "FA"... as tcpdump prints flags. */
  flags: string;
}
export interface UdpHeader {
  kind: 'udp';
  sport: number;
  dport: number;
  /** UDP length: header (8) + payload. */
  len: number;
}
export interface IcmpHeader {
  kind: 'icmp';
  /** 8 echo request, 0 echo reply, 3 destination unreachable, 11 time exceeded. */
  type: number;
  code: number;
  /** Echo identifier: conntrack uses it as the "port" of an ICMP flow. */
  id: number;
  seq: number;
}
export interface VxlanHeader {
  kind: 'vxlan';
  vni: number;
}

export type L4Header = TcpHeader | UdpHeader | IcmpHeader;

/**
 * A packet as it sits in the data path: optional Ethernet, IPv4, L4, and for a tunnelled
 * packet the inner packet it carries (VXLAN carries an Ethernet frame; IPIP an IP packet).
 * Packets are immutable values: every rewrite yields a new object, so a trace can keep the
 * packet before and after each step.
 */
export interface Packet {
  eth?: EthHeader;
  ip: Ip4Header;
  l4?: L4Header;
  vxlan?: VxlanHeader;
  inner?: Packet;
  /** Application bytes carried above L4 (for sizes), and an optional description (HTTP line). */
  payloadLen: number;
  app?: string;
  /** A DNS message carried in the UDP payload. */
  dns?: DnsMessage;
  /** The HTTP request or response the TCP connection carries. */
  http?: HttpMessage;
}
