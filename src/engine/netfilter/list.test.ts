import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSet } from './ipset';
import { formatCount, listRule, listTable, listTables, type Counters } from './list';
import { LISTED } from './list.fixtures';
import type { Rule } from './model';
import { parseRule } from './parse-rule';
import { restore } from './restore';
import { createNetfilterState, save, type NetfilterState } from './state';
import { at, box, replyTo, tcp } from './testing';
import { tokenize } from './values';

// The expected texts were all recorded from the real iptables 1.8.9 (nf_tables): see
// list.fixtures.ts and __recorded__/README.md for how.
const recorded = (f: string) =>
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '__recorded__', f), 'utf8');

function load(rules: string): NetfilterState {
  const st = createNetfilterState();
  st.sets.set('S', createSet('S', 'hash:ip'));
  st.sets.set('KUBE-CLUSTER-IP', createSet('KUBE-CLUSTER-IP', 'hash:ip,port'));
  expect(restore(st, rules, 'test.rules')).toEqual([]);
  return st;
}

describe('iptables -L -n -v', () => {
  it.each(LISTED.map((f) => [f.written, f.listed]))('lists %s as the tool does', (w, listed) => {
    const p = parseRule(tokenize(`-A R ${w}`) ?? []);
    if (!p.ok) throw new Error(p.error);
    expect(listRule(p.rule)).toBe(listed);
  });

  it('rounds counters as the tool does without -x', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [60, '60'],
      [99999, '99999'],
      [100000, '100K'],
      [123456, '123K'],
      [999499, '999K'],
      [999500, '1000K'],
      [9999499, '9999K'],
      [9999500, '10M'],
      [99999499, '100M'],
      [99999999, '100M'],
      [123456789012, '123G'],
      [1234567890123456, '1235T'],
    ];
    for (const [n, text] of cases) expect(formatCount(n), String(n)).toBe(text);
  });

  it('prints policies, references, [goto] and counters as the tool does (mangle, -c)', () => {
    const rules = recorded('counters.rules');
    const st = load(rules.replace(/^\[\d+:\d+\] /gm, ''));
    // The counters restored with `iptables-restore -c`, by chain and by rule in file order.
    const policy = new Map<string, Counters>();
    for (const m of rules.matchAll(/^:(\S+) \S+ \[(\d+):(\d+)\]$/gm))
      policy.set(m[1]!, { packets: Number(m[2]), bytes: Number(m[3]) });
    // The rules carry their counters in file order; the engine keeps each chain's in order.
    const counts = new Map<Rule, Counters>();
    const seen = new Map<string, number>();
    for (const m of rules.matchAll(/^\[(\d+):(\d+)\] -A (\S+)/gm)) {
      const i = seen.get(m[3]!) ?? 0;
      seen.set(m[3]!, i + 1);
      const r = st.tables.get('mangle')!.chains.get(m[3]!)!.rules[i]!;
      counts.set(r, { packets: Number(m[1]), bytes: Number(m[2]) });
    }
    const text = listTable(st.tables.get('mangle')!, {
      rule: (r) => counts.get(r),
      policy: (c) => policy.get(c),
    });
    expect(text).toBe(recorded('counters.list.txt'));
  });

  it('lists a kube-proxy ruleset table by table, as the tool does', () => {
    const st = load(recorded('redis-affinity.rules'));
    expect(listTables(st)).toBe(recorded('redis-affinity.list.txt'));
  });

  it('counts references from -j and -g, and lists nothing for a namespace without tables', () => {
    const st = load(
      '*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n-A INPUT -j X\n-A INPUT -g X\nCOMMIT\n',
    );
    expect(listTables(st)).toContain('Chain X (2 references)');
    expect(listTables(createNetfilterState())).toBe('');
  });

  it('counts what the walk saw as the kernel does: a SYN to a closed port on lo, and its RST', () => {
    // Recorded: `echo > /dev/tcp/127.0.0.1/1` in a namespace with lo up; the 60-byte SYN
    // and the 40-byte RST each pass OUTPUT then INPUT (__recorded__/README.md).
    const b = box(recorded('lo-syn-rst.rules'));
    const syn = tcp('127.0.0.1', 40000, '127.0.0.1', 1);
    const rst = { ...replyTo(syn, 'RA'), ip: { ...replyTo(syn).ip, len: 40 } };
    for (const p of [syn, rst]) {
      expect(at(b, 'OUTPUT', p).verdict.kind).toBe('ACCEPT');
      expect(at(b, 'INPUT', p).verdict.kind).toBe('ACCEPT');
    }
    expect(listTables(b.state)).toBe(recorded('lo-syn-rst.list.txt'));
    // iptables-save (without -c) prints the policy counters on the chain lines, not the rules'.
    expect(save(b.state)).toBe(recorded('lo-syn-rst.save.txt'));
    // A restore starts the rules and policies it loads from zero, as the real one does.
    restore(b.state, recorded('lo-syn-rst.rules'), 'again.rules');
    expect(listTables(b.state)).not.toMatch(/[1-9]\d* packets|^ +[1-9]/m);
  });
});
