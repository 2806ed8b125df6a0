import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNetfilterState, parseRule, printRule, restore, save } from '../../netfilter/index';
import { kubeProxyRuleset } from './iptables';
import { restoreText } from './ruleset';
import { node, PROXY_DEFAULTS, service, slice } from './testing';
import { tokenize } from '../../netfilter/values';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs = [
  path.join(here, '__golden__'),
  path.join(here, '../../../scenarios/presets/__golden__'),
];

/**
 * The netfilter layer's printer spells rules as iptables-save 1.8.9 does (its fixtures were
 * recorded from the real tool). Every rule kube-proxy's generator writes must already be in
 * that spelling: parsing it and printing it back changes nothing.
 */
describe('generated rules are in iptables-save canonical form', () => {
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.rules') || f.endsWith('.ipvs.txt'))
      .map((f) => path.join(d, f)),
  );
  it('there are golden rulesets to check', () => expect(files.length).toBeGreaterThan(8));
  it.each(files.map((f) => [path.basename(f), f]))('%s', (_, file) => {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('-A '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const words = tokenize(line)!;
      const parsed = parseRule(words);
      if (!parsed.ok) throw new Error(`${line}: ${parsed.error}`);
      expect(printRule(parsed.chain, parsed.rule)).toBe(line);
    }
  });
});

describe("kube-proxy's iptables-restore --noflush input", () => {
  const n1 = node('node-1', '192.168.56.11', '10.244.0.0/24');
  const svc = service({
    name: 'web',
    type: 'NodePort',
    clusterIP: '10.96.0.80',
    ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 }],
  });
  const eps = slice('web', [{ name: '', port: 80, protocol: 'TCP' }], ['10.244.0.5@node-1']);
  const rs = kubeProxyRuleset({ node: n1, services: [svc], slices: [eps], config: PROXY_DEFAULTS });

  it('restored into an empty node, iptables-save prints exactly the ruleset', () => {
    const s = createNetfilterState();
    expect(restore(s, restoreText(rs), 'kp', { noflush: true })).toEqual([]);
    expect(save(s)).toBe(rs.save());
  });

  it("keeps a CNI's rules in the built-in chains, below kube-proxy's jumps", () => {
    const s = createNetfilterState();
    const cni = '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -s 10.244.0.0/16 -j ACCEPT\nCOMMIT\n';
    expect(restore(s, cni, 'cni')).toEqual([]);
    expect(restore(s, restoreText(rs), 'kp', { noflush: true })).toEqual([]);
    const forward = save(s)
      .split('\n')
      .filter((l) => l.startsWith('-A FORWARD'));
    expect(forward.at(-1)).toBe('-A FORWARD -s 10.244.0.0/16 -j ACCEPT');
    expect(forward).toHaveLength(5);
  });
});
