import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRule, printRule } from '../../netfilter/index';
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
