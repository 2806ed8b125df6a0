/**
 * The engine's `iptables -L -n -v` held against the real tool's whenever the machine allows it
 * (root, `ip netns`, iptables-nft): the recorded rule fixtures, the counters table, and every
 * generated kube-proxy ruleset (each node of the preset goldens on its own), restored into a
 * throwaway namespace and listed table by table. Skipped, with the reason, where the tools are
 * missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TableName } from './api';
import { createSet } from './ipset';
import { listRule, listTable, listTables } from './list';
import { LISTED } from './list.fixtures';
import { parseRule } from './parse-rule';
import { restore } from './restore';
import { createNetfilterState } from './state';
import { tokenize } from './values';
import { netnsUnavailable } from '../sim/testing/kernel';

const reason = netnsUnavailable(['iptables-restore', 'iptables']);
const hasIpset = reason === null && spawnSync('sh', ['-c', 'command -v ipset']).status === 0;

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN_DIRS = [
  path.join(here, '../kube/proxy/__golden__'),
  path.join(here, '../../scenarios/presets/__golden__'),
];
const BUILTIN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

let serial = 0;
function inNetns<T>(
  fn: (run: (args: string[], input?: string) => { status: number; out: string }) => T,
): T {
  const ns = `pwl-test-${process.pid}-${serial++}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    return fn((args, input) => {
      const r = spawnSync('ip', ['netns', 'exec', ns, ...args], { input, encoding: 'utf8' });
      return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
    });
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

/** A golden file's rulesets: the whole file, or each `# node NAME` section of it. */
function rulesets(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of GOLDEN_DIRS)
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.rules'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const parts = text.split(/^# node (\S+)\n/m);
      if (parts.length === 1) out.push({ name: f, text });
      for (let i = 1; i + 1 < parts.length; i += 2)
        out.push({ name: `${f} ${parts[i]}`, text: parts[i + 1]! });
    }
  return out;
}

describe.skipIf(reason !== null)(
  `against the real iptables -L -n -v${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    it('lists every recorded rule as recorded, and as the engine does', () => {
      const rows = LISTED.map((r, i) => ({ ...r, chain: `R${i}` })).filter(
        (r) => hasIpset || !r.written.includes('--match-set'),
      );
      const listed = inNetns((run) => {
        if (hasIpset) {
          run(['ipset', 'create', 'S', 'hash:ip']);
          run(['ipset', 'create', 'KUBE-CLUSTER-IP', 'hash:ip,port']);
        }
        let text = '';
        for (const table of Object.keys(BUILTIN)) {
          const mine = rows.filter((r) => r.table === table);
          text += `*${table}\n${BUILTIN[table]!.map((c) => `:${c} ACCEPT [0:0]\n`).join('')}`;
          text += ['ZZZ', 'KUBE-SVC-X', 'KUBE-MARK-MASQ', ...mine.map((r) => r.chain)]
            .map((c) => `:${c} - [0:0]\n`)
            .join('');
          text += mine.map((r) => `-A ${r.chain} ${r.written}\n`).join('');
          text += 'COMMIT\n';
        }
        expect(run(['iptables-restore'], text).out).toBe('');
        return Object.keys(BUILTIN)
          .map((t) => run(['iptables', '-t', t, '-L', '-n', '-v']).out)
          .join('');
      });
      // Each fixture's chain holds one rule: the line after the chain's column header.
      const real = new Map<string, string>();
      const lines = listed.split('\n');
      lines.forEach((l, i) => {
        const m = /^Chain (R\d+) /.exec(l);
        if (m) real.set(m[1]!, lines[i + 2]!);
      });
      for (const r of rows) {
        expect(real.get(r.chain), r.written).toBe(r.listed);
        const p = parseRule(tokenize(`-A R ${r.written}`) ?? []);
        expect(p.ok && listRule(p.rule), r.written).toBe(real.get(r.chain));
      }
    });

    it('lists the counters table as recorded (iptables-restore -c)', () => {
      const rules = readFileSync(path.join(here, '__recorded__/counters.rules'), 'utf8');
      const real = inNetns((run) => {
        expect(run(['iptables-restore', '-c'], rules).out).toBe('');
        return run(['iptables', '-t', 'mangle', '-L', '-n', '-v']).out;
      });
      expect(real).toBe(readFileSync(path.join(here, '__recorded__/counters.list.txt'), 'utf8'));
    });

    it('counts a SYN to a closed port on lo and its RST as recorded', () => {
      const rules = readFileSync(path.join(here, '__recorded__/lo-syn-rst.rules'), 'utf8');
      const [list, saved] = inNetns((run) => {
        run(['ip', 'link', 'set', 'lo', 'up']);
        expect(run(['iptables-restore'], rules).out).toBe('');
        run(['bash', '-c', 'echo > /dev/tcp/127.0.0.1/1']);
        return [run(['iptables', '-L', '-n', '-v']).out, run(['iptables-save']).out];
      });
      const rec = (f: string) => readFileSync(path.join(here, '__recorded__', f), 'utf8');
      expect(`# Table: filter\n${list}`).toBe(rec('lo-syn-rst.list.txt'));
      expect(saved.replace(/^#.*\n/gm, '')).toBe(rec('lo-syn-rst.save.txt'));
    });

    it.each(rulesets().map((r) => [r.name, r.text]))(
      'lists kube-proxy ruleset %s as the tool does',
      (_, text) => {
        const st = createNetfilterState();
        const sets = [...text.matchAll(/--match-set (\S+) (\S+)/g)];
        for (const [, name, dirs] of sets)
          if (!st.sets.has(name!))
            st.sets.set(name!, createSet(name!, dirs!.includes(',') ? 'hash:ip,port' : 'hash:ip'));
        expect(restore(st, text, 'golden.rules')).toEqual([]);
        const tables = [...st.tables.keys()] as TableName[];
        const real = inNetns((run) => {
          for (const s of st.sets.values()) run(['ipset', 'create', s.name, s.type]);
          expect(run(['iptables-restore'], text).out).toBe('');
          return tables.map((t) => run(['iptables', '-t', t, '-L', '-n', '-v']).out);
        });
        tables.forEach((t, i) => expect(listTable(st.tables.get(t)!), t).toBe(real[i]));
        expect(listTables(st)).toContain(`# Table: ${tables[0]}\n${real[0]}`);
      },
    );
  },
);
