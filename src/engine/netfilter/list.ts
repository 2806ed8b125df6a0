/**
 * `iptables -L -n -v` (iptables 1.8.9, nft backend): each chain as a header, the column header
 * and one line per rule, chains separated by a blank line. The column layout and every
 * match's and target's `-L` wording were recorded from the real tool (fixtures in
 * list.test.ts, re-checked by list.kernel.test.ts); docs/KERNEL-NOTES.md sums them up.
 */
import { formatIp4 } from '../wire/ip';
import { ADDR_TYPES, CT_STATES, SAVE_ORDER } from './model';
import type { AddrTest, IfaceTest, MatchModule, PortTest, Rule, Table, Target } from './model';
import { CT_STATUS } from './parse-match';
import { natRange } from './print-rule';
import { chainOrder, type Counters, type NetfilterState } from './state';

export type { Counters };
import { formatPortRange, hex } from './values';

/** Where the counters come from; absent ones are zero (a freshly restored ruleset). */
export interface ListCounters {
  /** The rule's counters, by the Rule object. */
  rule?(r: Rule): Counters | undefined;
  /** A base chain's policy counters. */
  policy?(chain: string): Counters | undefined;
}

const ip = (n: number) => formatIp4(n as never);
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const not = (neg: boolean) => (neg ? ' !' : '');

/**
 * A counter as `-v` without `-x` prints it: up to 99999 as is, then rounded to the nearest
 * thousand with K, M, G, T (xtables_print_num): 123456 → 123K, 99999999 → 100M, 999500 → 1000K.
 */
export function formatCount(n: number): string {
  if (n <= 99999) return String(n);
  for (const unit of ['K', 'M', 'G']) {
    n = Math.floor((n + 500) / 1000);
    if (n <= 9999) return `${n}${unit}`;
  }
  return `${Math.floor((n + 500) / 1000)}T`;
}

/** An address column: the IP alone for a /32, `0.0.0.0/0` when the rule does not test it. */
function addrText(t: AddrTest | undefined): string {
  if (!t) return '0.0.0.0/0';
  return t.len === 32 ? ip(t.addr) : `${ip(t.addr)}/${t.len}`;
}
function ifaceText(t: IfaceTest | undefined): string {
  if (!t) return '*';
  return `${t.neg ? '!' : ''}${t.name}${t.prefix ? '+' : ''}`;
}

/** tcp/udp ports: `dpt:80`, `spts:1000:2000`, `dpt:!22`; the full range is left out. */
function ports(name: string, t: PortTest | undefined): string {
  if (!t || (t.lo === 0 && t.hi === 65535 && !t.neg)) return '';
  const inv = t.neg ? '!' : '';
  return t.lo === t.hi ? ` ${name}:${inv}${t.lo}` : ` ${name}s:${inv}${t.lo}:${t.hi}`;
}
const flagHex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

function bitNames(bits: number, names: readonly string[]): string {
  return names.filter((_, i) => bits & (1 << i)).join(',');
}

/** One match in `-L` form, with the leading space its libxt_* print function writes. */
export function listMatch(m: MatchModule): string {
  switch (m.mod) {
    case 'tcp':
    case 'udp': {
      let s = ` ${m.mod}${ports('spt', m.sport)}${ports('dpt', m.dport)}`;
      if (m.mod === 'tcp' && m.flags)
        s += ` flags:${m.flags.neg ? '!' : ''}${flagHex(m.flags.mask)}/${flagHex(m.flags.comp)}`;
      return s;
    }
    case 'icmp': {
      // `-m icmp` alone is "any" in the kernel: type 255, codes 0-255.
      const type = m.type < 0 ? 255 : m.type;
      return ` icmp${not(m.neg)}type ${type}${m.code === null ? '' : ` code ${m.code}`}`;
    }
    case 'comment':
      return ` /* ${m.text} */`;
    case 'statistic':
      if (m.mode === 'random')
        return ` statistic mode random${not(m.neg)} probability ${(m.probability / 0x80000000).toFixed(11)}`;
      return ` statistic mode nth${not(m.neg)} every ${m.every}${m.packet ? ` packet ${m.packet}` : ''}`;
    case 'recent': {
      const action = { set: 'SET', rcheck: 'CHECK', update: 'UPDATE', remove: 'REMOVE' }[m.action];
      let s = `${not(m.neg)} recent: ${action}`;
      if (m.seconds) s += ` seconds: ${m.seconds}`;
      if (m.reap) s += ' reap';
      if (m.hitcount) s += ` hit_count: ${m.hitcount}`;
      if (m.rttl) s += ' TTL-Match';
      const side = m.side === 'rsource' ? 'source' : 'dest';
      return `${s} name: ${m.name} side: ${side} mask: ${ip(m.mask)}`;
    }
    case 'addrtype': {
      let s = ' ADDRTYPE match';
      if (m.src) s += ` src-type ${m.src.neg ? '!' : ''}${bitNames(m.src.types, ADDR_TYPES)}`;
      if (m.dst) s += ` dst-type ${m.dst.neg ? '!' : ''}${bitNames(m.dst.types, ADDR_TYPES)}`;
      if (m.limitIn) s += ' limit-in';
      if (m.limitOut) s += ' limit-out';
      return s;
    }
    case 'set':
      return `${not(m.neg)} match-set ${m.name} ${m.dirs.join(',')}`;
    case 'mark':
      return ` mark match${not(m.neg)} ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'state':
    case 'conntrack':
      return conntrackText(m);
    case 'multiport':
      return ` multiport ${m.which} ${not(m.neg)}${m.ports.map(([a, b]) => formatPortRange(a, b)).join(',')}`;
    case 'physdev': {
      let s = ' PHYSDEV match';
      if (m.isIn) s += `${not(m.isIn.neg)} --physdev-is-in`;
      if (m.in) s += `${not(m.in.neg)} --physdev-in ${m.in.name}${m.in.prefix ? '+' : ''}`;
      if (m.isOut) s += `${not(m.isOut.neg)} --physdev-is-out`;
      if (m.out) s += `${not(m.out.neg)} --physdev-out ${m.out.name}${m.out.prefix ? '+' : ''}`;
      if (m.isBridged) s += `${not(m.isBridged.neg)} --physdev-is-bridged`;
      return s;
    }
  }
}

function conntrackText(m: Extract<MatchModule, { mod: 'state' | 'conntrack' }>): string {
  let s = '';
  if (m.states)
    s += `${not(m.states.neg)} ${m.mod === 'state' ? 'state' : 'ctstate'} ${bitNames(m.states.bits, CT_STATES)}`;
  const addrs = [
    ['ctorigsrc', m.origSrc],
    ['ctorigdst', m.origDst],
    ['ctreplsrc', m.replSrc],
    ['ctrepldst', m.replDst],
  ] as const;
  for (const [name, t] of addrs) if (t) s += `${not(t.neg)} ${name} ${addrText(t)}`;
  const portTests = [
    ['ctorigsrcport', m.origSrcPort],
    ['ctorigdstport', m.origDstPort],
    ['ctreplsrcport', m.replSrcPort],
    ['ctrepldstport', m.replDstPort],
  ] as const;
  for (const [name, t] of portTests)
    if (t) s += `${not(t.neg)} ${name} ${formatPortRange(t.lo, t.hi)}`;
  if (m.status) {
    const names = CT_STATUS.filter(([, b]) => m.status!.bits & b).map(([n]) => n);
    s += `${not(m.status.neg)} ctstatus ${names.length ? names.join(',') : 'NONE'}`;
  }
  return s;
}

/** The target column: the target's name, the chain for -j/-g, empty for a rule without one. */
export function targetName(t: Target): string {
  switch (t.kind) {
    case 'NONE':
      return '';
    case 'JUMP':
    case 'GOTO':
      return t.chain;
    case 'NOTRACK':
      // iptables-nft loads NOTRACK as an alias of CT and lists the CT target's name.
      return 'CT';
    default:
      return t.kind;
  }
}

/** The target's options in `-L` form (after the matches), with their leading space. */
export function listTarget(t: Target): string {
  const flags = (o: { random: boolean; randomFully: boolean; persistent?: boolean }) =>
    `${o.random ? ' random' : ''}${o.randomFully ? ' random-fully' : ''}${o.persistent ? ' persistent' : ''}`;
  switch (t.kind) {
    case 'REJECT':
      return ` reject-with ${t.with}`;
    case 'DNAT':
    case 'SNAT':
      return `${t.range ? ` to:${natRange(t.range)}` : ''}${flags(t)}`;
    case 'MASQUERADE':
      return `${t.ports ? ` masq ports: ${formatPortRange(t.ports[0], t.ports[1], '-')}` : ''}${flags(t)}`;
    case 'REDIRECT':
      return `${t.ports ? ` redir ports ${formatPortRange(t.ports[0], t.ports[1], '-')}` : ''}${flags(t)}`;
    case 'MARK': {
      // libxt_MARK names the operation the value/mask pair amounts to.
      const { value: v, mask: m } = t;
      if (v === 0) return ` MARK and ${hex(~m >>> 0)}`;
      if (v === m) return ` MARK or ${hex(v)}`;
      if (m === 0) return ` MARK xor ${hex(v)}`;
      if (m === 0xffffffff) return ` MARK set ${hex(v)}`;
      return ` MARK xset ${hex(v)}/${hex(m)}`;
    }
    case 'LOG':
      return ` LOG flags 0 level ${t.level}${t.prefix ? ` prefix "${t.prefix}"` : ''}`;
    case 'CT':
      return t.notrack ? ' CT notrack' : ' CT';
    case 'NOTRACK':
      return ' NOTRACK';
    default:
      return '';
  }
}

const ZERO: Counters = { packets: 0, bytes: 0 };

/** One rule line (print_rule_details, print_fragment, print_ifaces, the addresses, …). */
export function listRule(r: Rule, c: Counters = ZERO): string {
  const inv = (t: { neg: boolean } | undefined) => (t?.neg ? '!' : ' ');
  let s = `${padLeft(formatCount(c.packets), 5)} ${padLeft(formatCount(c.bytes), 5)} `;
  s += `${pad(targetName(r.target), 9)} ${inv(r.proto)}${pad(String(r.proto?.num ?? 0), 5)}`;
  // The opt column: the engine has no `-f`, so it is always "--".
  s += '-- ';
  s += ` ${pad(ifaceText(r.inIface), 6)} ${pad(ifaceText(r.outIface), 6)} `;
  s += `${inv(r.src)}${pad(addrText(r.src), 19)} ${inv(r.dst)}${pad(addrText(r.dst), 19)} `;
  if (r.target.kind === 'GOTO') s += '[goto] ';
  for (const m of r.matches) s += listMatch(m);
  return s + listTarget(r.target);
}

export const LIST_COLUMNS =
  ' pkts bytes target     prot opt in     out     source               destination         ';

/** How many rules of the table jump or go to each chain (the user chains' "references"). */
function references(t: Table): Map<string, number> {
  const refs = new Map<string, number>();
  for (const c of t.chains.values())
    for (const r of c.rules)
      if (r.target.kind === 'JUMP' || r.target.kind === 'GOTO')
        refs.set(r.target.chain, (refs.get(r.target.chain) ?? 0) + 1);
  return refs;
}

/** What `iptables -t TABLE -L -n -v` prints for one table. */
export function listTable(t: Table, counters: ListCounters = {}): string {
  const refs = references(t);
  const chains = chainOrder(t).map((name) => {
    const chain = t.chains.get(name)!;
    let head: string;
    if (chain.policy) {
      const p = counters.policy?.(name) ?? ZERO;
      head = `Chain ${name} (policy ${chain.policy} ${formatCount(p.packets)} packets, ${formatCount(p.bytes)} bytes)`;
    } else head = `Chain ${name} (${refs.get(name) ?? 0} references)`;
    const lines = [head, LIST_COLUMNS];
    for (const r of chain.rules) lines.push(listRule(r, counters.rule?.(r)));
    return lines.join('\n');
  });
  return `${chains.join('\n\n')}\n`;
}

/**
 * `iptables -t T -L -n -v` for every table the namespace has, in iptables-save's table order,
 * each under a `# Table: T` line and separated by a blank line. The real tool lists one table
 * per call and prints no table name; the header line is the engine's own, so the tables can
 * be told apart in one dump. The counters are those the walk kept (zero after a restore).
 */
export function listTables(state: NetfilterState): string {
  const out: string[] = [];
  for (const name of SAVE_ORDER) {
    const t = state.tables.get(name);
    if (!t) continue;
    const counters: ListCounters = {
      rule: (r) => state.counters.get(r),
      policy: (c) => state.counters.get(t.chains.get(c)!),
    };
    out.push(`# Table: ${name}\n${listTable(t, counters)}`);
  }
  return out.join('\n');
}
