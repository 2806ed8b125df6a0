import type { PacketView } from '../sim/trace-types';
import { formatIp4 } from './ip';
import type { Packet } from './packet';

/** The packet as plain JSON for a trace event (addresses as text). */
export function toView(p: Packet): PacketView {
  const v: PacketView = {
    ip: {
      src: formatIp4(p.ip.src),
      dst: formatIp4(p.ip.dst),
      proto: p.ip.proto,
      ttl: p.ip.ttl,
      len: p.ip.len,
    },
    payloadLen: p.payloadLen,
  };
  if (p.eth) v.eth = { src: p.eth.src, dst: p.eth.dst, type: p.eth.type };
  const l4 = p.l4;
  if (l4?.kind === 'tcp') v.tcp = { sport: l4.sport, dport: l4.dport, flags: l4.flags };
  else if (l4?.kind === 'udp') v.udp = { sport: l4.sport, dport: l4.dport, len: l4.len };
  else if (l4?.kind === 'icmp') v.icmp = { type: l4.type, code: l4.code, id: l4.id, seq: l4.seq };
  if (p.vxlan) v.vxlan = { vni: p.vxlan.vni };
  if (p.inner) v.inner = toView(p.inner);
  if (p.app !== undefined) v.app = p.app;
  if (p.dns) v.dns = p.dns;
  if (p.http) v.http = p.http;
  return v;
}

/** "10.244.0.2:41234" (ICMP: the address alone). */
export function endpointText(ip: number, port: number | undefined): string {
  return port === undefined ? formatIp4(ip as never) : `${formatIp4(ip as never)}:${port}`;
}

export function srcPort(p: Packet): number | undefined {
  return p.l4 && p.l4.kind !== 'icmp' ? p.l4.sport : undefined;
}
export function dstPort(p: Packet): number | undefined {
  return p.l4 && p.l4.kind !== 'icmp' ? p.l4.dport : undefined;
}
