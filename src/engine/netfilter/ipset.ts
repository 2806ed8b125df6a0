/**
 * ipset: named sets the `set` match tests packets against (kube-proxy's IPVS mode keeps its
 * service addresses in them). Membership follows the kernel: the match's `src`/`dst` flags
 * pick, dimension by dimension, which of the packet's addresses and ports to test, and a
 * match with fewer flags than the set has dimensions never matches.
 */
import type { Diagnostic } from '../diagnostics';
import { formatIp4, maskOf, parseIp4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import { addrTest, parsePortRange, parseProto, protoName } from './values';

export type SetType =
  'hash:ip' | 'hash:ip,port' | 'hash:net' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

/** Revisions the kernel 6.18 / ipset 7.17 on Debian 12 report (`ipset list`). */
const REVISION: Record<SetType, number> = {
  'hash:ip': 6,
  'hash:ip,port': 7,
  'hash:net': 7,
  'hash:ip,port,ip': 6,
  'hash:ip,port,net': 8,
  'bitmap:port': 3,
};
/** `Size in memory` of an empty set, and a per-member figure (the kernel's depends on buckets). */
const BASE_SIZE: Record<SetType, number> = {
  'hash:ip': 216,
  'hash:ip,port': 216,
  'hash:net': 456,
  'hash:ip,port,ip': 208,
  'hash:ip,port,net': 464,
  'bitmap:port': 72,
};
const MEMBER_SIZE: Record<SetType, number> = {
  'hash:ip': 40,
  'hash:ip,port': 48,
  'hash:net': 48,
  'hash:ip,port,ip': 56,
  'hash:ip,port,net': 56,
  'bitmap:port': 0,
};
const DIMS: Record<SetType, ('ip' | 'port' | 'net')[]> = {
  'hash:ip': ['ip'],
  'hash:ip,port': ['ip', 'port'],
  'hash:net': ['net'],
  'hash:ip,port,ip': ['ip', 'port', 'ip'],
  'hash:ip,port,net': ['ip', 'port', 'net'],
  'bitmap:port': ['port'],
};

export interface IpSet {
  name: string;
  type: SetType;
  hashsize: number;
  maxelem: number;
  /** bitmap:port range. */
  range?: [number, number];
  /** By canonical member text, in insertion order. */
  members: Map<string, string>;
  /** Prefix lengths present (net dimension), so a test masks once per length like the kernel. */
  netLens: Set<number>;
}

/** A fixed stand-in for the kernel's random initval, derived from the name so output is stable. */
export function initval(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return `0x${h.toString(16).padStart(8, '0')}`;
}

export function createSet(
  name: string,
  type: SetType,
  opts: Partial<Pick<IpSet, 'hashsize' | 'maxelem' | 'range'>> = {},
): IpSet {
  return {
    name,
    type,
    hashsize: opts.hashsize ?? 1024,
    maxelem: opts.maxelem ?? 65536,
    ...(opts.range
      ? { range: opts.range }
      : type === 'bitmap:port'
        ? { range: [0, 65535] as [number, number] }
        : {}),
    members: new Map(),
    netLens: new Set(),
  };
}

const PORT_PROTOS = new Set([6, 17, 132, 136]);

/** Parses one member ("10.96.0.10,udp:53") into its canonical key(s); null when malformed. */
export function parseMember(s: IpSet, text: string): { keys: string[]; lens: number[] } | null {
  const parts = text.split(',');
  const dims = DIMS[s.type];
  if (parts.length !== dims.length) return null;
  let keys = [''];
  const lens: number[] = [];
  for (let i = 0; i < dims.length; i++) {
    const part = parts[i]!;
    let add: string[];
    if (dims[i] === 'ip') {
      const ip = parseIp4(part);
      if (ip === undefined) return null;
      add = [formatIp4(ip)];
    } else if (dims[i] === 'net') {
      const t = addrTest(part, false);
      if (!t || t.len === 0) return null;
      lens.push(t.len);
      add = [t.len === 32 ? formatIp4(t.addr as never) : `${formatIp4(t.addr as never)}/${t.len}`];
    } else {
      const colon = part.indexOf(':');
      const proto =
        colon < 0 ? (s.type === 'bitmap:port' ? null : 6) : parseProto(part.slice(0, colon));
      const r = parsePortRange(colon < 0 ? part : part.slice(colon + 1), '-');
      if ((proto !== null && !PORT_PROTOS.has(proto)) || !r) return null;
      if (s.range && (r[0] < s.range[0] || r[1] > s.range[1])) return null;
      add = [];
      for (let p = r[0]; p <= r[1]; p++)
        add.push(proto === null ? String(p) : `${protoName(proto)}:${p}`);
    }
    keys = keys.flatMap((k) => add.map((a) => (k ? `${k},${a}` : a)));
  }
  return { keys, lens };
}

export function addMember(s: IpSet, text: string): boolean {
  const m = parseMember(s, text);
  if (!m || s.members.size + m.keys.length > s.maxelem) return false;
  for (const k of m.keys) s.members.set(k, k);
  for (const l of m.lens) s.netLens.add(l);
  return true;
}

export function delMember(s: IpSet, text: string): boolean {
  const m = parseMember(s, text);
  if (!m) return false;
  let any = false;
  for (const k of m.keys) any = s.members.delete(k) || any;
  return any;
}

/** ip_set_test for a packet, with the match's direction flags. */
export function setTest(s: IpSet, p: Packet, dirs: ('src' | 'dst')[]): boolean {
  const dims = DIMS[s.type];
  if (dirs.length < dims.length) return false;
  const l4 = p.l4;
  let prefix = [''];
  for (let i = 0; i < dims.length; i++) {
    const d = dirs[i]!;
    const ip = d === 'src' ? p.ip.src : p.ip.dst;
    let vals: string[];
    if (dims[i] === 'ip') vals = [formatIp4(ip)];
    else if (dims[i] === 'net')
      vals = [...s.netLens].map((len) => {
        const net = (ip & maskOf(len)) >>> 0;
        return len === 32 ? formatIp4(net as never) : `${formatIp4(net as never)}/${len}`;
      });
    else {
      if (!l4 || l4.kind === 'icmp' || !PORT_PROTOS.has(p.ip.proto)) return false;
      const port = d === 'src' ? l4.sport : l4.dport;
      vals = [s.type === 'bitmap:port' ? String(port) : `${protoName(p.ip.proto)}:${port}`];
    }
    prefix = prefix.flatMap((k) => vals.map((v) => (k ? `${k},${v}` : v)));
  }
  return prefix.some((k) => s.members.has(k));
}

/** `ipset list NAME` as ipset 7.17 prints it; `references` counts the rules that use the set. */
export function listSet(s: IpSet, references: number): string {
  const header =
    s.type === 'bitmap:port'
      ? `range ${s.range![0]}-${s.range![1]}`
      : `family inet hashsize ${s.hashsize} maxelem ${s.maxelem} bucketsize 12 initval ${initval(s.name)}`;
  const size =
    s.type === 'bitmap:port'
      ? BASE_SIZE[s.type] + Math.ceil((s.range![1] - s.range![0] + 1) / 8)
      : BASE_SIZE[s.type] + MEMBER_SIZE[s.type] * s.members.size;
  return [
    `Name: ${s.name}`,
    `Type: ${s.type}`,
    `Revision: ${REVISION[s.type]}`,
    `Header: ${header}`,
    `Size in memory: ${size}`,
    `References: ${references}`,
    `Number of entries: ${s.members.size}`,
    'Members:',
    ...s.members.keys(),
  ].join('\n');
}

const TYPES = new Set<string>(Object.keys(DIMS));

/**
 * `ipset restore`: create/add/del/flush/destroy lines (with `-exist`), the way kube-proxy's
 * IPVS mode loads its sets. Errors are diagnostics with line numbers.
 */
export function ipsetRestore(sets: Map<string, IpSet>, text: string, file: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const fail = (line: number, message: string) =>
    diags.push({
      file,
      line,
      col: 1,
      severity: 'error',
      code: 'PW3012',
      message: `line ${line} failed: ${message}`,
    });
  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const w = raw
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '');
    if (w.length === 0 || w[0]!.startsWith('#')) return;
    const exist = w.includes('-exist') || w.includes('-!');
    const args = w.filter((x) => x !== '-exist' && x !== '-!');
    const [cmd, name, arg] = args;
    const set = name === undefined ? undefined : sets.get(name);
    if (cmd === 'create' || cmd === '-N' || cmd === 'n') {
      if (!name || !arg || !TYPES.has(arg)) return void fail(n, `unknown set type "${arg ?? ''}"`);
      if (set)
        return exist
          ? undefined
          : void fail(n, `Set cannot be created: set with the same name already exists`);
      const opt = (k: string) => {
        const j = args.indexOf(k);
        return j < 0 ? undefined : args[j + 1];
      };
      const rangeText = opt('range');
      const range = rangeText ? parsePortRange(rangeText, '-') : null;
      if (rangeText && !range) return void fail(n, `bad range "${rangeText}"`);
      sets.set(
        name,
        createSet(name, arg as SetType, {
          hashsize: Number(opt('hashsize') ?? 1024),
          maxelem: Number(opt('maxelem') ?? 65536),
          ...(range ? { range } : {}),
        }),
      );
    } else if (cmd === 'add' || cmd === 'del' || cmd === '-A' || cmd === '-D') {
      if (!set) return void fail(n, `The set with the given name does not exist`);
      const adding = cmd === 'add' || cmd === '-A';
      const had = arg !== undefined && parseMember(set, arg)?.keys.every((k) => set.members.has(k));
      if (arg === undefined || !parseMember(set, arg))
        return void fail(n, `Syntax error: bad element "${arg ?? ''}"`);
      if (adding && had && !exist)
        return void fail(n, `Element cannot be added to the set: it's already added`);
      if (!adding && !had && !exist)
        return void fail(n, `Element cannot be deleted from the set: it's not added`);
      if (!adding) delMember(set, arg);
      else if (!addMember(set, arg)) fail(n, 'Hash is full, cannot add more elements');
    } else if (cmd === 'flush' || cmd === '-F') {
      for (const s of name ? [set] : sets.values()) {
        if (!s) return void fail(n, `The set with the given name does not exist`);
        s.members.clear();
        s.netLens.clear();
      }
    } else if (cmd === 'destroy' || cmd === '-X') {
      if (name && !set) return void fail(n, `The set with the given name does not exist`);
      if (name) sets.delete(name);
      else sets.clear();
    } else fail(n, `unknown command "${cmd ?? ''}"`);
  });
  return diags;
}
