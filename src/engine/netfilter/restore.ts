import type { Diagnostic } from '../diagnostics';
import type { TableName } from './api';
import { BUILTIN_CHAINS, TARGET_TABLES, type Chain, type Rule, type Table } from './model';
import { parseRule } from './parse-rule';
import { compileTable } from './match';
import type { NetfilterState } from './state';
import { tokenize } from './values';

const TABLES = new Set<string>(Object.keys(BUILTIN_CHAINS));
/** Hooks where the kernel has no input or no output device, so `-i`/`-o` is refused. */
const NO_IN = ['OUTPUT', 'POSTROUTING'];
const NO_OUT = ['PREROUTING', 'INPUT'];

export interface RestoreOptions {
  /** `iptables-restore --noflush` (what kube-proxy runs): keep chains the text does not name. */
  noflush?: boolean;
}

function cloneTable(t: Table): Table {
  const chains = new Map<string, Chain>();
  for (const [k, c] of t.chains) chains.set(k, { ...c, rules: [...c.rules] });
  return { name: t.name, chains };
}

function freshTable(name: TableName): Table {
  const t: Table = { name, chains: new Map() };
  for (const c of BUILTIN_CHAINS[name]) t.chains.set(c, { name: c, policy: 'ACCEPT', rules: [] });
  return t;
}

/**
 * The first jump that closes a cycle of chains reachable from a built-in chain (nf_tables
 * validates from its base chains; a loop nothing jumps into is accepted, as the real tool does).
 */
function findLoop(t: Table): { rule: Rule; chain: string } | null {
  const color = new Map<string, 1 | 2>();
  const visit = (name: string): { rule: Rule; chain: string } | null => {
    color.set(name, 1);
    for (const r of t.chains.get(name)?.rules ?? []) {
      const tg = r.target;
      if (tg.kind !== 'JUMP' && tg.kind !== 'GOTO') continue;
      const c = color.get(tg.chain);
      if (c === 1) return { rule: r, chain: name };
      if (c === undefined && t.chains.has(tg.chain)) {
        const found = visit(tg.chain);
        if (found) return found;
      }
    }
    color.set(name, 2);
    return null;
  };
  for (const name of BUILTIN_CHAINS[t.name]) {
    if (color.has(name) || !t.chains.has(name)) continue;
    const found = visit(name);
    if (found) return found;
  }
  return null;
}

/**
 * iptables-restore: replaces every table named in `text` (or, with `noflush`, only the chains
 * it declares). Problems are diagnostics pinned to their line ("line N failed", as the real tool
 * says), never exceptions; a table with errors is not committed.
 */
export function restore(
  state: NetfilterState,
  text: string,
  file: string,
  opts: RestoreOptions = {},
): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const fail = (line: number, message: string, code: string) => {
    diags.push({
      file,
      line,
      col: 1,
      severity: 'error',
      code,
      message: `line ${line} failed: ${message}`,
    });
    tableErrors = true;
  };
  let table: Table | null = null;
  let tableErrors = false;
  const lineOf = new Map<Rule, number>();
  const lines = text.split('\n');
  for (let idx = 0; idx < lines.length; idx++) {
    const n = idx + 1;
    let line = lines[idx]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      if (table) fail(n, `table "${table.name}" has no COMMIT before "${line}"`, 'PW3007');
      const name = line.slice(1);
      tableErrors = false;
      lineOf.clear();
      if (!TABLES.has(name)) {
        table = null;
        fail(n, `unknown table "${name}"`, 'PW3001');
        continue;
      }
      const existing = state.tables.get(name as TableName);
      table = opts.noflush && existing ? cloneTable(existing) : freshTable(name as TableName);
      continue;
    }
    if (!table) {
      if (!tableErrors) fail(n, 'rule outside a table (missing "*table")', 'PW3002');
      continue;
    }
    const t: Table = table;
    if (line === 'COMMIT') {
      for (const [r, ln] of lineOf) {
        const tg = r.target;
        if ((tg.kind === 'JUMP' || tg.kind === 'GOTO') && !t.chains.has(tg.chain))
          fail(ln, `chain "${tg.chain}" does not exist (no such target)`, 'PW3005');
        for (const m of r.matches)
          if (m.mod === 'set' && !state.sets.has(m.name))
            fail(ln, `Set ${m.name} doesn't exist.`, 'PW3011');
      }
      const loop = tableErrors ? null : findLoop(t);
      if (loop)
        fail(
          lineOf.get(loop.rule) ?? n,
          `RULE_APPEND failed (Too many links): rule in chain ${loop.chain} (a jump loop: ${loop.rule.text})`,
          'PW3008',
        );
      if (!tableErrors) {
        compileTable(t);
        state.tables.set(t.name, t);
      }
      table = null;
      continue;
    }
    if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(/\s+/);
      if (!name) {
        fail(n, 'missing chain name', 'PW3003');
        continue;
      }
      const builtin = BUILTIN_CHAINS[t.name].includes(name);
      if (builtin && policy !== 'ACCEPT' && policy !== 'DROP') {
        fail(n, `bad policy "${policy ?? ''}" for built-in chain ${name}`, 'PW3003');
        continue;
      }
      if (!builtin && policy !== '-') {
        fail(n, `user chain ${name} cannot have a policy ("${policy ?? ''}")`, 'PW3003');
        continue;
      }
      const prev = t.chains.get(name);
      // With --noflush a built-in chain keeps its rules and takes the new policy; a declared
      // user chain is flushed either way (observed with iptables-restore 1.8.9 --noflush).
      if (builtin && prev && opts.noflush) {
        prev.policy = policy as 'ACCEPT' | 'DROP';
        continue;
      }
      t.chains.set(name, {
        name,
        policy: builtin ? (policy as 'ACCEPT' | 'DROP') : null,
        rules: [],
      });
      if (prev) for (const r of prev.rules) lineOf.delete(r);
      continue;
    }
    // `iptables-save -c` writes "[packets:bytes] -A …".
    if (line.startsWith('[')) line = line.replace(/^\[\d+:\d+\]\s+/, '');
    const words = tokenize(line);
    if (!words) {
      fail(n, 'cannot split the line into words', 'PW3004');
      continue;
    }
    const cmd = words[0];
    if (cmd === '-X' || cmd === '-F') {
      const names = words[1] ? [words[1]] : [...t.chains.keys()];
      for (const c of names) {
        const chain = t.chains.get(c);
        if (!chain) fail(n, `chain "${c}" does not exist`, 'PW3005');
        else if (cmd === '-F') chain.rules = [];
        else if (BUILTIN_CHAINS[t.name].includes(c)) {
          if (words[1]) fail(n, `cannot delete built-in chain "${c}"`, 'PW3004');
        } else t.chains.delete(c);
      }
      continue;
    }
    if (cmd === '-N') {
      if (!words[1] || t.chains.has(words[1]))
        fail(n, `chain "${words[1] ?? ''}" already exists`, 'PW3003');
      else t.chains.set(words[1], { name: words[1], policy: null, rules: [] });
      continue;
    }
    if (cmd === '-P') {
      const c = t.chains.get(words[1] ?? '');
      if (!c || c.policy === null || (words[2] !== 'ACCEPT' && words[2] !== 'DROP'))
        fail(n, `bad policy command "${line}"`, 'PW3003');
      else c.policy = words[2];
      continue;
    }
    if (cmd !== '-A' && cmd !== '-I') {
      fail(n, `unsupported command "${cmd ?? ''}"`, 'PW3004');
      continue;
    }
    let insertAt = -1;
    if (cmd === '-I') {
      insertAt = words[2] && /^\d+$/.test(words[2]) ? Number(words[2]) - 1 : 0;
      if (words[2] && /^\d+$/.test(words[2])) words.splice(2, 1);
    }
    const parsed = parseRule(words);
    if (!parsed.ok) {
      fail(n, parsed.error, 'PW3006');
      continue;
    }
    const chain = t.chains.get(parsed.chain);
    if (!chain) {
      fail(n, `chain "${parsed.chain}" does not exist`, 'PW3005');
      continue;
    }
    const r = parsed.rule;
    const allowed = TARGET_TABLES[r.target.kind];
    if (allowed && !allowed.includes(t.name)) {
      fail(n, `target ${r.target.kind} is only valid in the ${allowed.join('/')} table`, 'PW3009');
      continue;
    }
    if (
      chain.policy !== null &&
      ((r.inIface && NO_IN.includes(chain.name)) || (r.outIface && NO_OUT.includes(chain.name)))
    ) {
      fail(n, `Can't use ${r.inIface ? '-i' : '-o'} with ${chain.name}`, 'PW3010');
      continue;
    }
    if (insertAt >= 0) {
      if (insertAt > chain.rules.length) {
        fail(n, `index of insertion too big`, 'PW3004');
        continue;
      }
      chain.rules.splice(insertAt, 0, r);
    } else chain.rules.push(r);
    lineOf.set(r, n);
  }
  if (table) fail(lines.length, 'missing COMMIT', 'PW3007');
  return diags;
}
