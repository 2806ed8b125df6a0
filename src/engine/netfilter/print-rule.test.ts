import { describe, expect, it } from 'vitest';
import { parseRule } from './parse-rule';
import { OBSERVED, QUOTING, REFUSED } from './print-rule.fixtures';
import { tokenize } from './values';

function canon(rule: string): string {
  const words = tokenize(`-A R ${rule}`);
  if (!words) return 'unbalanced quotes';
  const p = parseRule(words);
  return p.ok ? p.rule.text.replace(/^-A R /, '') : `error: ${p.error}`;
}

describe('iptables-save canonical forms (recorded from the real tool)', () => {
  it.each(OBSERVED)('%s: %s', (_table, written, printed) => {
    expect(canon(written)).toBe(printed);
  });

  it.each(OBSERVED)('%s: printing is a fixed point for %s', (_table, _written, printed) => {
    expect(canon(printed)).toBe(printed);
  });
});

describe('quoting as iptables-restore reads it', () => {
  it.each(QUOTING)('%s', (written, printed) => {
    expect(canon(written)).toBe(printed);
  });
});

describe('rules iptables refuses are refused', () => {
  it.each(REFUSED)('%s', (line) => {
    expect(canon(line)).toMatch(/^(error|unbalanced)/);
  });
});
