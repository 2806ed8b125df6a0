/**
 * A ruleset being built, per table, and its iptables-save text. Rules are written in
 * iptables-save's normal form (what `iptables-save` prints back after kube-proxy's
 * `iptables-restore`): `-s`, `-d`, `-p` first, then the `-m` matches in the order given, then
 * the target; addresses with their prefix length; marks and probabilities as the kernel
 * modules store and print them.
 */

export type TableName = 'mangle' | 'filter' | 'nat';

const BUILTIN: Record<TableName, string[]> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** iptables-save's table order. */
const SAVE_ORDER: TableName[] = ['mangle', 'filter', 'nat'];

export interface RuleSpec {
  src?: string;
  srcNeg?: boolean;
  dst?: string;
  dstNeg?: boolean;
  proto?: string;
  /** `-m` matches, each already in its saved form ("-m tcp --dport 80"). */
  matches?: string[];
  /** "-j TARGET [options]"; omitted for a rule that only counts (KUBE-FW's last rule). */
  jump?: string;
}

/** xtables' quoting for saved strings: bare when only [A-Za-z0-9_-], else double-quoted. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

export function comment(text: string): string {
  return `-m comment --comment ${saveString(text)}`;
}

/** A host address as iptables prints it: with /32. */
export function host(ip: string): string {
  return ip.includes('/') ? ip : `${ip}/32`;
}

export class Ruleset {
  private readonly tables = new Map<TableName, Map<string, string[]>>();

  private table(t: TableName): Map<string, string[]> {
    let m = this.tables.get(t);
    if (!m) {
      m = new Map(BUILTIN[t].map((c) => [c, []]));
      this.tables.set(t, m);
    }
    return m;
  }

  /** Declares a chain (idempotent): a `:NAME - [0:0]` line. */
  chain(t: TableName, name: string): void {
    const m = this.table(t);
    if (!m.has(name)) m.set(name, []);
  }

  hasChain(t: TableName, name: string): boolean {
    return this.tables.get(t)?.has(name) ?? false;
  }

  rule(t: TableName, chain: string, r: RuleSpec): void {
    let text = `-A ${chain}`;
    if (r.src) text += `${r.srcNeg ? ' !' : ''} -s ${host(r.src)}`;
    if (r.dst) text += `${r.dstNeg ? ' !' : ''} -d ${host(r.dst)}`;
    if (r.proto) text += ` -p ${r.proto}`;
    for (const m of r.matches ?? []) text += ` ${m}`;
    if (r.jump) text += ` ${r.jump}`;
    const m = this.table(t);
    let rules = m.get(chain);
    if (!rules) {
      rules = [];
      m.set(chain, rules);
    }
    rules.push(text);
  }

  /** Appends a rule already in saved form after `-A CHAIN` (the per-endpoint hot path). */
  append(t: TableName, chain: string, tail: string): void {
    const m = this.table(t);
    let rules = m.get(chain);
    if (!rules) {
      rules = [];
      m.set(chain, rules);
    }
    // join makes one flat string; a template literal would keep a tree of string pieces
    // alive per rule, which a 430,000-rule ruleset pays for in garbage collection.
    rules.push(['-A ', chain, tail].join(''));
  }

  rules(t: TableName, chain: string): readonly string[] {
    return this.tables.get(t)?.get(chain) ?? [];
  }

  chains(t: TableName): string[] {
    return [...(this.tables.get(t)?.keys() ?? [])];
  }

  /**
   * iptables-save's text (without its dated header/footer comments): built-in chains with
   * their policies first, then user chains in name order, as iptables-legacy-save lists them;
   * then every rule, chain by chain, in the same order.
   */
  save(): string {
    const out: string[] = [];
    for (const t of SAVE_ORDER) {
      const m = this.tables.get(t);
      if (!m) continue;
      const builtin = BUILTIN[t];
      const user = [...m.keys()].filter((c) => !builtin.includes(c)).sort();
      const order = [...builtin, ...user];
      out.push(`*${t}`);
      for (const c of order) out.push(`:${c} ${builtin.includes(c) ? 'ACCEPT' : '-'} [0:0]`);
      for (const c of order) out.push(...m.get(c)!);
      out.push('COMMIT');
    }
    return `${out.join('\n')}\n`;
  }
}

/**
 * What kube-proxy actually feeds the kernel, as one `iptables-restore --noflush` input: its own
 * chains declared (which flushes them) and filled, and the jumps in the built-in chains
 * inserted at the top — kube-proxy ensures each with a prepend, so the other rules a node has
 * there (a CNI's, Docker's) stay. Restoring this into a node leaves exactly `save()` for the
 * parts kube-proxy owns.
 */
export function restoreText(rs: Ruleset): string {
  const out: string[] = [];
  for (const t of SAVE_ORDER) {
    const chains = rs.chains(t);
    if (chains.length === 0) continue;
    const builtin = BUILTIN[t];
    const user = chains.filter((c) => !builtin.includes(c)).sort();
    out.push(`*${t}`);
    for (const c of user) out.push(`:${c} - [0:0]`);
    for (const c of builtin)
      for (const r of [...rs.rules(t, c)].reverse()) out.push(r.replace(/^-A (\S+)/, '-I $1 1'));
    for (const c of user) out.push(...rs.rules(t, c));
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/**
 * `--probability` as iptables-save prints it: kube-proxy writes 1/n with ten decimals; the
 * statistic module keeps it as a 31-bit fraction (rounded) and prints that with eleven.
 */
const probabilities = new Map<number, string>();

export function savedProbability(n: number): string {
  let text = probabilities.get(n);
  if (text === undefined) {
    const written = Number((1 / n).toFixed(10));
    const stored = Math.round(written * 0x80000000);
    text = (stored / 0x80000000).toFixed(11);
    probabilities.set(n, text);
  }
  return text;
}

/** A mark as `-m mark` / `MARK --set-xmark` print it: lower-case hex without padding. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}
