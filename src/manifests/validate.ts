import type { Fields } from './context';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** "10.244.0.0/16": a valid address, a prefix length 0-32, and no host bits set. */
export function cidrProblem(text: string): string | null {
  const [addr, len, extra] = text.split('/');
  if (extra !== undefined || addr === undefined || len === undefined || !isIPv4(addr))
    return 'must be a valid CIDR, e.g. 10.244.0.0/16';
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return 'the prefix length must be 0-32';
  const n = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const hostBits = 2 ** (32 - Number(len));
  if (n % hostBits !== 0) return `host bits are set (the network is ${networkOf(n, Number(len))})`;
  return null;
}

function networkOf(n: number, len: number): string {
  const net = n - (n % 2 ** (32 - len));
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${len}`;
}

export function cidrContainsIp(cidr: string, ip: string): boolean {
  const [addr, len] = cidr.split('/');
  const toN = (t: string) => t.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(len));
  return Math.floor(toN(ip) / size) === Math.floor(toN(addr!) / size);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The apiserver's own wording for names, so a learner recognises it from kubectl. */
export function subdomainProblem(name: string): string | null {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  return null;
}

export function labelProblem(name: string): string | null {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  return null;
}

export function readIPv4(f: Fields, key: string): string | undefined {
  const v = f.str(key);
  if (v === undefined) return undefined;
  if (!isIPv4(v)) return f.invalid(key, v, 'must be a valid IPv4 address');
  return v;
}

export function readCidr(f: Fields, key: string): string | undefined {
  const v = f.str(key);
  if (v === undefined) return undefined;
  const problem = cidrProblem(v);
  return problem ? f.invalid(key, v, problem) : v;
}

export function readPort(f: Fields, key: string, required = false): number | undefined {
  const v = f.int(key, required);
  if (v === undefined) return undefined;
  if (v < 1 || v > 65535) return f.invalid(key, v, 'must be between 1 and 65535, inclusive');
  return v;
}

export function readProtocol(f: Fields, key = 'protocol'): 'TCP' | 'UDP' | 'SCTP' {
  const v = f.str(key);
  if (v === undefined) return 'TCP';
  if (v === 'TCP' || v === 'UDP' || v === 'SCTP') return v;
  f.ctx.report(
    f.posOf(key),
    'error',
    'PW1013',
    `${f.path ? `${f.path}.` : ''}${key}: Unsupported value: ${JSON.stringify(v)}: supported values: "SCTP", "TCP", "UDP"`,
  );
  return 'TCP';
}

export function readEnum<T extends string>(
  f: Fields,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = f.str(key);
  if (v === undefined) return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  f.ctx.report(
    f.posOf(key),
    'error',
    'PW1013',
    `${f.path ? `${f.path}.` : ''}${key}: Unsupported value: ${JSON.stringify(v)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
  );
  return fallback;
}
