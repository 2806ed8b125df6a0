import { describe, expect, it } from 'vitest';
import { buildLabWorld } from '../kube/lab-world';
import { iptablesNatLab } from '../kube/labs';
import { dump } from './dump';

describe('dump --what iptables-list', () => {
  it('lists every table and rule that iptables-save prints, under a header per table', () => {
    const world = buildLabWorld(iptablesNatLab());
    const ns = [...world.namespaces.keys()].find((n) => {
      const d = dump(world, n, 'iptables-save');
      return 'text' in d && d.text.includes('-j DNAT');
    })!;
    const save = dump(world, ns, 'iptables-save');
    const list = dump(world, ns, 'iptables-list');
    if (!('text' in save) || !('text' in list)) throw new Error('no dump');
    const tables = [...save.text.matchAll(/^\*(\w+)$/gm)].map((m) => m[1]);
    expect([...list.text.matchAll(/^# Table: (\w+)$/gm)].map((m) => m[1])).toEqual(tables);
    const rules = save.text.split('\n').filter((l) => l.startsWith('-A '));
    const lines = list.text.split('\n').filter((l) => /^ +\d+[KMGT]? +\d+[KMGT]? /.test(l));
    expect(lines).toHaveLength(rules.length);
    expect(list.text).toMatch(/^ {4}0 {5}0 DNAT .* to:/m);
  });
});
