import type { TableName } from './api';

/** An address test of `-s`/`-d` (and of conntrack's `--ctorigdst` etc.). */
export interface AddrTest {
  addr: number;
  len: number;
  neg: boolean;
}
export interface IfaceTest {
  /** Without the trailing `+`. */
  name: string;
  /** `eth+`: any device whose name starts with `name`. */
  prefix: boolean;
  neg: boolean;
}
export interface PortTest {
  lo: number;
  hi: number;
  neg: boolean;
}

/** Address types in the kernel's bit order (xt_addrtype), which is also iptables-save's order. */
export const ADDR_TYPES = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
] as const;

/** Conntrack states in xt_conntrack's bit order (how iptables-save lists them). */
export const CT_STATES = [
  'INVALID',
  'NEW',
  'RELATED',
  'ESTABLISHED',
  'UNTRACKED',
  'SNAT',
  'DNAT',
] as const;
export type CtStateName = (typeof CT_STATES)[number];

/** One `-m MODULE …` of a rule, with its options parsed. */
export type MatchModule =
  | {
      mod: 'tcp' | 'udp';
      sport?: PortTest;
      dport?: PortTest;
      /** --tcp-flags MASK COMP as bit sets (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32). */
      flags?: { mask: number; comp: number; neg: boolean };
    }
  | { mod: 'icmp'; type: number; code: number | null; neg: boolean }
  | { mod: 'comment'; text: string }
  | {
      mod: 'statistic';
      mode: 'random' | 'nth';
      /** The kernel's 31-bit threshold: a packet matches when (rand & 0x7fffffff) < it. */
      probability: number;
      every: number;
      packet: number;
      neg: boolean;
    }
  | {
      mod: 'recent';
      action: 'set' | 'rcheck' | 'update' | 'remove';
      seconds: number;
      reap: boolean;
      hitcount: number;
      rttl: boolean;
      name: string;
      mask: number;
      side: 'rsource' | 'rdest';
      neg: boolean;
    }
  | {
      mod: 'addrtype';
      src?: { types: number; neg: boolean };
      dst?: { types: number; neg: boolean };
      limitIn: boolean;
      limitOut: boolean;
    }
  | { mod: 'set'; name: string; dirs: ('src' | 'dst')[]; neg: boolean }
  | { mod: 'mark'; value: number; mask: number; neg: boolean }
  | {
      mod: 'conntrack' | 'state';
      /** Bit set over CT_STATES. */
      states?: { bits: number; neg: boolean };
      origSrc?: AddrTest;
      origDst?: AddrTest;
      replSrc?: AddrTest;
      replDst?: AddrTest;
      origSrcPort?: PortTest;
      origDstPort?: PortTest;
      replSrcPort?: PortTest;
      replDstPort?: PortTest;
      status?: { bits: number; neg: boolean };
    }
  | {
      mod: 'multiport';
      which: 'sports' | 'dports' | 'ports';
      ports: [number, number][];
      neg: boolean;
    }
  | {
      mod: 'physdev';
      in?: IfaceTest;
      out?: IfaceTest;
      isIn?: { neg: boolean };
      isOut?: { neg: boolean };
      isBridged?: { neg: boolean };
    };

/** A NAT range as `--to-destination`/`--to-source` write it: IP[-IP][:PORT[-PORT]]. */
export interface NatRange {
  minIp: number;
  maxIp: number;
  /** Both null when the port is left alone. */
  minPort: number | null;
  maxPort: number | null;
}

export type Target =
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'NONE' | 'TRACE' | 'NOTRACK' }
  | { kind: 'CT'; notrack: boolean }
  | { kind: 'REJECT'; with: string }
  | { kind: 'JUMP' | 'GOTO'; chain: string }
  | {
      kind: 'DNAT' | 'SNAT';
      range: NatRange | null;
      random: boolean;
      randomFully: boolean;
      persistent: boolean;
    }
  | {
      kind: 'MASQUERADE' | 'REDIRECT';
      ports: [number, number] | null;
      random: boolean;
      randomFully: boolean;
    }
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'LOG'; prefix: string | null; level: number };

/** A parsed rule: what it tests and what it does, with its canonical iptables-save text. */
export interface Rule {
  /** The line as iptables-save prints it, e.g. "-A FORWARD -s 10.0.0.0/8 -j ACCEPT". */
  text: string;
  src?: AddrTest;
  dst?: AddrTest;
  inIface?: IfaceTest;
  outIface?: IfaceTest;
  proto?: { num: number; neg: boolean };
  matches: MatchModule[];
  target: Target;
}

export interface Chain {
  name: string;
  /** Built-in chains have a policy; user chains have none. */
  policy: 'ACCEPT' | 'DROP' | null;
  rules: Rule[];
}

export interface Table {
  name: TableName;
  chains: Map<string, Chain>;
}

export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/**
 * iptables-save (nft backend) prints tables in the order of iptables-nft's table array
 * (mangle, security, raw, filter, nat), whatever order they were restored in: observed with
 * iptables-save 1.8.9 (nf_tables), see docs/KERNEL-NOTES.md.
 */
export const SAVE_ORDER: TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** Which targets each table accepts (the kernel refuses the rest: "RULE_APPEND failed"). */
export const TARGET_TABLES: Partial<Record<Target['kind'], TableName[]>> = {
  DNAT: ['nat'],
  SNAT: ['nat'],
  MASQUERADE: ['nat'],
  REDIRECT: ['nat'],
  TRACE: ['raw'],
  NOTRACK: ['raw'],
  CT: ['raw'],
};
