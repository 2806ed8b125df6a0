/**
 * The value syntaxes iptables accepts (addresses, ports, protocols, marks) and the canonical
 * spelling iptables-save prints for each. Shared by the rule parser and printer.
 */
import { formatIp4, maskOf, parseIp4 } from '../wire/ip';
import type { AddrTest, PortTest } from './model';

/** Names iptables resolves through /etc/protocols (Debian 12) and its own built-in list. */
const PROTO_NAMES: Record<string, number> = {
  all: 0,
  icmp: 1,
  igmp: 2,
  ipencap: 4,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  sctp: 132,
  udplite: 136,
};
const PROTO_BY_NUM = new Map(Object.entries(PROTO_NAMES).map(([k, v]) => [v, k]));

export function parseProto(v: string): number | null {
  const name = v.toLowerCase();
  if (name in PROTO_NAMES) return PROTO_NAMES[name]!;
  return /^\d{1,3}$/.test(v) && Number(v) <= 255 ? Number(v) : null;
}
export function protoName(n: number): string {
  return PROTO_BY_NUM.get(n) ?? String(n);
}

/** The few service names kube-proxy and CNI rules use; /etc/services has many more. */
const SERVICES: Record<string, number> = {
  ssh: 22,
  domain: 53,
  http: 80,
  https: 443,
  bgp: 179,
  ntp: 123,
  snmp: 161,
};

export function parsePort(v: string): number | null {
  if (/^\d{1,5}$/.test(v)) return Number(v) <= 65535 ? Number(v) : null;
  return SERVICES[v] ?? null;
}

/** "80", "1000:2000", ":100" (from 0), "1000:" (to 65535), as the tcp/udp matches accept. */
export function parsePortRange(v: string, sep = ':'): [number, number] | null {
  const i = v.indexOf(sep);
  if (i < 0) {
    const p = parsePort(v);
    return p === null ? null : [p, p];
  }
  const lo = i === 0 ? 0 : parsePort(v.slice(0, i));
  const hi = i === v.length - 1 ? 65535 : parsePort(v.slice(i + 1));
  return lo === null || hi === null || lo > hi ? null : [lo, hi];
}

export function formatPortRange(lo: number, hi: number, sep = ':'): string {
  return lo === hi ? String(lo) : `${lo}${sep}${hi}`;
}
export function portTest(v: string | undefined, neg: boolean): PortTest | null {
  const r = v === undefined ? null : parsePortRange(v);
  return r ? { lo: r[0], hi: r[1], neg } : null;
}
export function formatPortTest(opt: string, t: PortTest): string {
  return `${t.neg ? '! ' : ''}${opt} ${formatPortRange(t.lo, t.hi)}`;
}

/** "10.0.0.1" (a /32), "10.0.0.0/8", or a dotted netmask; host bits are dropped as iptables does. */
export function addrTest(v: string | undefined, neg: boolean): AddrTest | null {
  if (v === undefined) return null;
  const [a, m] = v.split('/');
  if (m !== undefined && m.includes('.')) {
    const mask = parseIp4(m);
    const ip = a === undefined ? undefined : fastIp4(a);
    if (mask === undefined || ip === undefined) return null;
    const len = 32 - Math.log2((~mask >>> 0) + 1);
    if (!Number.isInteger(len) || maskOf(len) !== mask) return null;
    return { addr: (ip & mask) >>> 0, len, neg };
  }
  const ip = a === undefined ? undefined : fastIp4(a);
  const len = m === undefined ? 32 : /^\d{1,2}$/.test(m) ? Number(m) : -1;
  if (ip === undefined || len < 0 || len > 32) return null;
  return { addr: (ip & maskOf(len)) >>> 0, len, neg };
}

/** A dotted quad (the only form iptables-save prints), read without a regex: restores read many. */
export function fastIp4(v: string): number | undefined {
  let ip = 0;
  let octet = -1;
  let dots = 0;
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k) - 48;
    if (c === -2) {
      if (octet < 0 || ++dots > 3) return undefined;
      ip = ip * 256 + octet;
      octet = -1;
    } else if (c >= 0 && c <= 9) {
      octet = octet < 0 ? c : octet * 10 + c;
      if (octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || octet < 0) return undefined;
  return ip * 256 + octet;
}

export function formatAddr(t: { addr: number; len: number }): string {
  return `${formatIp4(t.addr as never)}/${t.len}`;
}

/** A mark or mask: decimal, 0x hex or 0 octal, as strtoul(…, 0) reads it. */
export function parseNumber(v: string | undefined): number | null {
  if (v === undefined) return null;
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(v)) n = parseInt(v.slice(2), 16);
  else if (/^0[0-7]+$/.test(v)) n = parseInt(v.slice(1), 8);
  else if (/^\d+$/.test(v)) n = Number(v);
  else return null;
  return n <= 0xffffffff ? n : null;
}
/** "value[/mask]" with mask defaulting to all ones. */
export function parseValueMask(v: string | undefined): [number, number] | null {
  if (v === undefined) return null;
  const [a, b, ...rest] = v.split('/');
  const value = parseNumber(a);
  const mask = b === undefined ? 0xffffffff : parseNumber(b);
  return value === null || mask === null || rest.length ? null : [value, mask];
}
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/**
 * How iptables-save writes a string argument (comments, log prefixes): bare when it is only
 * letters, digits, `_` and `-`; otherwise in double quotes with `"`, `\` and `'` escaped.
 */
export function saveString(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return `"${s.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/**
 * Splits a rule line into words as iptables-restore 1.8.9 does: a double quote opens a
 * parameter (joining what came before it in the word: `x"y z"` is `xy z`), the closing quote
 * ends the word (`"a b"c` is two words), `\` escapes inside quotes, and a quote left open takes
 * the rest of the line (the real tool accepts that too). Never null any more; the type stays.
 */
export function tokenize(line: string): string[] | null {
  if (!line.includes('"') && !line.includes('\\'))
    return line.split(/[ \t]+/).filter((w) => w !== '');
  const out: string[] = [];
  let word: string | null = null;
  let from = 0;
  let quoted = false;
  const n = line.length;
  for (let k = 0; k <= n; k++) {
    const c = k < n ? line.charCodeAt(k) : -1;
    if (c === 92 && k + 1 < n && (quoted || line.charCodeAt(k + 1) === 34)) {
      word = (word ?? '') + line.slice(from, k);
      from = ++k;
    } else if (c === 34 && !quoted) {
      word = (word ?? '') + line.slice(from, k);
      from = k + 1;
      quoted = true;
    } else if (c === 34 || (c === -1 && quoted)) {
      out.push((word ?? '') + line.slice(from, k));
      word = null;
      from = k + 1;
      quoted = false;
    } else if (!quoted && (c === 32 || c === 9 || c === -1)) {
      if (word !== null || k > from) out.push((word ?? '') + line.slice(from, k));
      word = null;
      from = k + 1;
    }
  }
  return out;
}
