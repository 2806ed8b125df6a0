import type { DnsMessage, DnsRecord } from '../sim/trace-types';
import { parseIp4 } from './ip';

/** DNS response codes (RFC 1035 §4.1.1) by number. */
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
export function rcodeName(rcode: number): string {
  return Object.entries(RCODE).find(([, v]) => v === rcode)?.[0] ?? `RCODE${rcode}`;
}

/** Lower-cased and absolute (one trailing dot). */
export function canonicalName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

/** "10.244.0.5" -> "10-244-0-5": a pod's A record label (the Kubernetes DNS spec). */
export function dashedIp(ip: string): string {
  return ip.replace(/\./g, '-');
}

/** "10-244-0-5" -> "10.244.0.5", or undefined when the label is not a dashed IPv4 address. */
export function undashIp(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return undefined;
  const ip = parts.join('.');
  return parseIp4(ip) === undefined ? undefined : ip;
}

/** "10.96.0.10" -> "10.0.96.10.in-addr.arpa." */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
}

/** "10.0.96.10.in-addr.arpa." -> "10.96.0.10", or undefined. */
export function fromReverseName(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.$/.exec(
    canonicalName(name),
  );
  if (!m) return undefined;
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  return parseIp4(ip) === undefined || !/^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/.test(ip)
    ? undefined
    : ip;
}

/** Bytes of a name on the wire without compression: a length byte per label, a final zero. */
export function nameLength(name: string): number {
  const labels = canonicalName(name).split('.').filter(Boolean);
  return labels.reduce((n, l) => n + l.length + 1, 1);
}

function rdataLength(r: DnsRecord): number {
  switch (r.type) {
    case 'A':
      return 4;
    case 'CNAME':
    case 'PTR':
      return nameLength(r.data);
    case 'SRV':
      return 6 + nameLength(r.data.split(' ')[3] ?? '.');
    case 'SOA': {
      const [m, rname] = r.data.split(' ');
      return nameLength(m ?? '.') + nameLength(rname ?? '.') + 20;
    }
  }
}

/**
 * The message's size on the wire: a 12-byte header, the question, and each record (a record
 * owned by the question's name points back at it in 2 bytes, as servers compress it; other
 * names are counted whole).
 */
export function messageLength(m: DnsMessage): number {
  const q = canonicalName(m.question.name);
  const rr = (r: DnsRecord) =>
    (canonicalName(r.name) === q ? 2 : nameLength(r.name)) + 10 + rdataLength(r);
  return (
    12 +
    nameLength(q) +
    4 +
    [...m.answers, ...m.authority, ...m.additional].reduce((n, r) => n + rr(r), 0)
  );
}

/** A record as dig prints it: "web.default.svc.cluster.local. 30 IN A 10.96.0.20". */
export function recordText(r: DnsRecord): string {
  return `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`;
}

/** tcpdump's one-line summary: "4660+ A? web.default.svc.cluster.local." / "4660*- 1/0/0 A 10.96.0.20". */
export function dnsSummary(m: DnsMessage): string {
  if (!m.flags.qr)
    return `dns ${m.id}${m.flags.rd ? '+' : ''} ${m.question.type}? ${m.question.name}`;
  const flags = `${m.flags.aa ? '*' : ''}${m.flags.ra ? '' : '-'}`;
  const status = m.rcode === 0 ? '' : ` ${m.status}`;
  const first = m.answers
    .slice(0, 3)
    .map((a) => ` ${a.type} ${a.data}`)
    .join(',');
  return `dns ${m.id}${flags}${status} ${m.answers.length}/${m.authority.length}/${m.additional.length}${first}`;
}
