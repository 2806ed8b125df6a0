import ipaddr from 'ipaddr.js';

/** An IPv4 address as an unsigned 32-bit integer. Branded so a port or a count cannot pass. */
export type Ip4 = number & { readonly __brand: 'Ip4' };

/** An IPv4 prefix: network address (host bits zero) and length. */
export interface Cidr4 {
  readonly addr: Ip4;
  readonly len: number;
}

export function parseIp4(text: string): Ip4 | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  const o = ipaddr.IPv4.parse(text).octets;
  return ip4FromOctets(o[0]!, o[1]!, o[2]!, o[3]!);
}

export function ip4(text: string): Ip4 {
  const ip = parseIp4(text);
  if (ip === undefined) throw new Error(`not an IPv4 address: ${text}`);
  return ip;
}

export function ip4FromOctets(a: number, b: number, c: number, d: number): Ip4 {
  return (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) as Ip4;
}

export function formatIp4(ip: Ip4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Parses "10.0.0.0/8" or a bare address (a /32). Host bits must be zero unless `loose`. */
export function parseCidr4(text: string, loose = false): Cidr4 | undefined {
  const [a, l, ...rest] = text.split('/');
  if (rest.length > 0 || a === undefined) return undefined;
  const addr = parseIp4(a);
  if (addr === undefined) return undefined;
  const len = l === undefined ? 32 : /^\d{1,2}$/.test(l) ? Number(l) : NaN;
  if (!(len >= 0 && len <= 32)) return undefined;
  const net = (addr & maskOf(len)) >>> 0;
  if (!loose && net !== addr) return undefined;
  return { addr: net as Ip4, len };
}

export function cidr4(text: string): Cidr4 {
  const c = parseCidr4(text, true);
  if (!c) throw new Error(`not an IPv4 prefix: ${text}`);
  return c;
}

export function formatCidr4(c: Cidr4): string {
  return `${formatIp4(c.addr)}/${c.len}`;
}

export function cidrContains(c: Cidr4, ip: Ip4): boolean {
  return (ip & maskOf(c.len)) >>> 0 === c.addr;
}

export function cidrOverlaps(a: Cidr4, b: Cidr4): boolean {
  const len = Math.min(a.len, b.len);
  const m = maskOf(len);
  return (a.addr & m) >>> 0 === (b.addr & m) >>> 0;
}

/** The n-th address of a prefix (n = 0 is the network address). */
export function nthAddress(c: Cidr4, n: number): Ip4 {
  return ((c.addr + n) >>> 0) as Ip4;
}

export function broadcastOf(c: Cidr4): Ip4 {
  return ((c.addr | (~maskOf(c.len) >>> 0)) >>> 0) as Ip4;
}
