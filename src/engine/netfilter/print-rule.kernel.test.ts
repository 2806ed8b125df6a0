/**
 * The recorded canonical forms, checked again against the real iptables-save whenever the
 * machine allows it (root, `ip netns`, iptables-nft): each fixture's written rule is restored
 * into its own chain of a throwaway namespace, read back, and compared with both the recorded
 * text and what the engine prints. Skipped, with the reason, where the tools are missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseRule } from './parse-rule';
import { OBSERVED, REFUSED } from './print-rule.fixtures';
import { tokenize } from './values';
import { netnsUnavailable } from '../sim/testing/kernel';

const reason = netnsUnavailable(['iptables-restore', 'iptables-save']);
const hasIpset = reason === null && spawnSync('sh', ['-c', 'command -v ipset']).status === 0;

const BUILTIN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};
const EXTRA = ['ZZZ', 'KUBE-SVC-X', 'KUBE-MARK-MASQ'];

function canon(rule: string): string {
  const p = parseRule(tokenize(`-A R ${rule}`) ?? []);
  return p.ok ? p.rule.text.replace(/^-A R /, '') : `error: ${p.error}`;
}

function inNetns<T>(
  fn: (run: (args: string[], input?: string) => { status: number; out: string }) => T,
): T {
  const ns = `pwnf-test-${process.pid}`;
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

describe.skipIf(reason !== null)(
  `against the real iptables-save${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    it('prints every recorded rule as recorded, and as the engine does', () => {
      const rows = OBSERVED.map((r, i) => ({
        i,
        table: r[0],
        written: r[1],
        recorded: r[2],
      })).filter((r) => hasIpset || !r.written.includes('--match-set'));
      const saved = inNetns((run) => {
        if (hasIpset) {
          run(['ipset', 'create', 'S', 'hash:ip']);
          run(['ipset', 'create', 'KUBE-CLUSTER-IP', 'hash:ip,port']);
        }
        let text = '';
        for (const table of Object.keys(BUILTIN)) {
          const mine = rows.filter((r) => r.table === table);
          text += `*${table}\n${BUILTIN[table]!.map((c) => `:${c} ACCEPT [0:0]\n`).join('')}`;
          text += [...EXTRA, ...mine.map((r) => `R${r.i}`)].map((c) => `:${c} - [0:0]\n`).join('');
          text += mine.map((r) => `-A R${r.i} ${r.written}\n`).join('');
          text += 'COMMIT\n';
        }
        const restored = run(['iptables-restore'], text);
        expect(restored.out).toBe('');
        return run(['iptables-save']).out;
      });
      const real = new Map<number, string>();
      for (const line of saved.split('\n')) {
        const m = /^-A R(\d+) (.*)$/.exec(line);
        if (m) real.set(Number(m[1]), m[2]!);
      }
      for (const r of rows) {
        expect(real.get(r.i), r.written).toBe(r.recorded);
        expect(canon(r.written), r.written).toBe(real.get(r.i));
      }
    });

    it('refuses what the engine refuses', () => {
      inNetns((run) => {
        for (const line of REFUSED) {
          const text = `*nat\n:PREROUTING ACCEPT [0:0]\n:R - [0:0]\n-A R ${line}\nCOMMIT\n`;
          expect(run(['iptables-restore'], text).status, line).not.toBe(0);
          expect(canon(line), line).toMatch(/^(error|unbalanced)/);
        }
      });
    });
  },
);
