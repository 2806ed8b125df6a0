import type { Diagnostic } from '../diagnostics';
import { parseCidr4, maskOf } from '../wire/ip';
import { IPPROTO } from '../wire/packet';
import type { TableName } from './api';
import { BUILTIN_CHAINS, type Match, type Rule, type Table, type Target } from './model';
import type { NetfilterState } from './state';

const UNSUPPORTED_TARGETS = new Set([
  'DNAT',
  'SNAT',
  'MASQUERADE',
  'MARK',
  'REDIRECT',
  'LOG',
  'TRACE',
  'CT',
  'NOTRACK',
]);
const TABLES = new Set<string>(Object.keys(BUILTIN_CHAINS));

/** Splits a rule line into words, honouring double quotes as iptables-restore does. */
export function tokenize(line: string): string[] | null {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null)
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return (line.match(/"/g)?.length ?? 0) % 2 === 0 ? out : null;
}

type Parsed = { ok: true; rule: Omit<Rule, 'text'>; chain: string } | { ok: false; error: string };

function portRange(v: string): [number, number] | null {
  const [a, b] = v.split(':');
  const lo = Number(a);
  const hi = b === undefined ? lo : Number(b);
  return Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi <= 65535 && lo <= hi
    ? [lo, hi]
    : null;
}

/** Parses the words after `-A` into matches and a target. */
function parseRule(words: string[]): Parsed {
  const chain = words[1];
  if (!chain) return { ok: false, error: 'missing chain name after -A' };
  const matches: Match[] = [];
  let target: Target = { kind: 'NONE' };
  let neg = false;
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!;
    const arg = () => words[++i];
    if (w === '!') {
      neg = true;
      continue;
    }
    switch (w) {
      case '-s':
      case '-d': {
        const v = arg();
        const c = v === undefined ? undefined : parseCidr4(v, true);
        if (!c) return { ok: false, error: `bad address "${v ?? ''}" for ${w}` };
        matches.push({ kind: w === '-s' ? 'src' : 'dst', addr: c.addr, mask: maskOf(c.len), neg });
        break;
      }
      case '-p': {
        const v = arg() ?? '';
        const proto = v in IPPROTO ? IPPROTO[v as keyof typeof IPPROTO] : Number(v);
        if (!Number.isInteger(proto)) return { ok: false, error: `unknown protocol "${v}"` };
        matches.push({ kind: 'proto', proto, neg });
        break;
      }
      case '-i':
      case '-o': {
        const v = arg() ?? '';
        const prefix = v.endsWith('+');
        matches.push({
          kind: w === '-i' ? 'in' : 'out',
          dev: prefix ? v.slice(0, -1) : v,
          prefix,
          neg,
        });
        break;
      }
      case '--sport':
      case '--dport': {
        const r = portRange(arg() ?? '');
        if (!r) return { ok: false, error: `bad port for ${w}` };
        matches.push({ kind: w === '--sport' ? 'sport' : 'dport', lo: r[0], hi: r[1], neg });
        break;
      }
      case '-m': {
        const mod = arg();
        if (
          mod !== 'tcp' &&
          mod !== 'udp' &&
          mod !== 'comment' &&
          mod !== 'conntrack' &&
          mod !== 'state'
        ) {
          return { ok: false, error: `match "${mod ?? ''}" is not supported yet` };
        }
        break;
      }
      case '--comment':
        matches.push({ kind: 'comment', text: arg() ?? '' });
        break;
      case '--ctstate':
      case '--state':
        matches.push({ kind: 'ctstate', states: (arg() ?? '').split(','), neg });
        break;
      case '-j':
      case '-g': {
        const t = arg() ?? '';
        if (w === '-j' && (t === 'ACCEPT' || t === 'DROP' || t === 'RETURN')) target = { kind: t };
        else if (w === '-j' && t === 'REJECT')
          target = { kind: 'REJECT', with: 'icmp-port-unreachable' };
        else if (UNSUPPORTED_TARGETS.has(t)) {
          return { ok: false, error: `target "${t}" is not supported yet` };
        } else target = { kind: w === '-j' ? 'JUMP' : 'GOTO', chain: t };
        break;
      }
      case '--reject-with':
        if (target.kind === 'REJECT') target = { kind: 'REJECT', with: arg() ?? '' };
        break;
      default:
        return { ok: false, error: `unknown option "${w}"` };
    }
    neg = false;
  }
  return { ok: true, chain, rule: { matches, target } };
}

/**
 * iptables-restore: replaces every table named in `text`. Problems are diagnostics pinned to
 * their line ("line N failed"), never exceptions; a table with errors is not committed.
 */
export function restore(state: NetfilterState, text: string, file: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const fail = (line: number, message: string, code: string) =>
    diags.push({
      file,
      line,
      col: 1,
      severity: 'error',
      code,
      message: `line ${line} failed: ${message}`,
    });
  let table: Table | null = null;
  let tableErrors = false;
  const pending: { line: number; chain: string; rule: Rule }[] = [];
  text.split('\n').forEach((raw, idx) => {
    const n = idx + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('*')) {
      const name = line.slice(1);
      if (!TABLES.has(name)) return void fail(n, `unknown table "${name}"`, 'PW3001');
      table = { name: name as TableName, chains: new Map() };
      for (const c of BUILTIN_CHAINS[name as TableName])
        table.chains.set(c, { name: c, policy: 'ACCEPT', rules: [] });
      tableErrors = false;
      pending.length = 0;
      return;
    }
    if (!table) return void fail(n, 'rule outside a table (missing "*table")', 'PW3002');
    const t: Table = table;
    if (line === 'COMMIT') {
      for (const p of pending) {
        const tgt = p.rule.target;
        if ((tgt.kind === 'JUMP' || tgt.kind === 'GOTO') && !t.chains.has(tgt.chain)) {
          fail(p.line, `chain "${tgt.chain}" does not exist`, 'PW3005');
          tableErrors = true;
        }
      }
      if (!tableErrors) state.tables.set(t.name, t);
      table = null;
      return;
    }
    if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(/\s+/);
      if (!name) return void fail(n, 'missing chain name', 'PW3003');
      const builtin = BUILTIN_CHAINS[t.name].includes(name);
      t.chains.set(name, {
        name,
        policy: builtin ? (policy === 'DROP' ? 'DROP' : 'ACCEPT') : null,
        rules: [],
      });
      return;
    }
    const words = tokenize(line);
    if (!words || words[0] !== '-A') {
      tableErrors = true;
      return void fail(
        n,
        words ? `unsupported command "${words[0] ?? ''}"` : 'unbalanced quotes',
        'PW3004',
      );
    }
    const parsed = parseRule(words);
    if (!parsed.ok) {
      tableErrors = true;
      return void fail(n, parsed.error, 'PW3006');
    }
    const chain = t.chains.get(parsed.chain);
    if (!chain) {
      tableErrors = true;
      return void fail(n, `chain "${parsed.chain}" does not exist`, 'PW3005');
    }
    const rule: Rule = { ...parsed.rule, text: line };
    chain.rules.push(rule);
    pending.push({ line: n, chain: parsed.chain, rule });
  });
  if (table) fail(text.split('\n').length, 'missing COMMIT', 'PW3007');
  return diags;
}
