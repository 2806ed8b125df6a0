import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zh } from './zh';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

function has(obj: unknown, key: string): boolean {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null || !(part in cur)) return false;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string';
}

describe('every string the UI asks for exists', () => {
  // Literal keys only: t('a.b'), t("a.b"), and both arms of t(cond ? 'a' : 'b').
  const used = new Set<string>();
  for (const f of files('src/ui'))
    for (const m of readFileSync(f, 'utf8').matchAll(
      /\bt\(\s*(?:[^'"`()]*\?\s*)?'([a-zA-Z]+\.[\w.]+)'(?:\s*:\s*'([a-zA-Z]+\.[\w.]+)')?/g,
    )) {
      used.add(m[1]!);
      if (m[2]) used.add(m[2]);
    }

  // Preset titles are keys too (src/scenarios/presets/*.ts `titleKey`).
  for (const f of files('src/scenarios/presets'))
    for (const m of readFileSync(f, 'utf8').matchAll(/titleKey: '([\w.]+)'/g)) used.add(m[1]!);

  // Keys built from engine values: each data plane of the compare view, each trace outcome.
  const variants = readFileSync('src/scenarios/variants.ts', 'utf8');
  const list = variants.slice(variants.indexOf('export const VARIANTS'));
  for (const m of list.matchAll(/kind: '(proxy|cni)', (?:mode|cni): '([\w-]+)'/g))
    used.add(`compare.variant.${m[1]}_${m[2]}`);
  const types = readFileSync('src/engine/sim/trace-types.ts', 'utf8');
  const outcome = types.slice(
    types.indexOf('export type Outcome'),
    types.indexOf(';', types.indexOf('export type Outcome')),
  );
  for (const m of outcome.matchAll(/'([\w-]+)'/g)) used.add(`compare.outcomes.${m[1]}`);

  it('finds the keys it checks', () => {
    expect([...used].filter((k) => k.startsWith('compare.variant.'))).toHaveLength(9);
    expect([...used].filter((k) => k.startsWith('compare.outcomes.'))).toHaveLength(8);
    expect(used.size).toBeGreaterThan(100);
  });

  for (const [lang, strings] of [
    ['en', en],
    ['zh', zh],
  ] as const)
    it(`in ${lang}`, () => {
      expect([...used].filter((k) => !has(strings, k))).toEqual([]);
    });
});
