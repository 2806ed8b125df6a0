import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleText } from './example-text';
import { PRESETS } from './index';
import { simulate } from './simulate';

describe('examples/ holds every preset', () => {
  for (const p of PRESETS)
    it(`examples/${p.id}.yaml is the ${p.id} preset (npm run examples regenerates it)`, () => {
      const path = `examples/${p.id}.yaml`;
      expect(existsSync(path)).toBe(true);
      const text = readFileSync(path, 'utf8');
      expect(text).toBe(exampleText(p));
      // And it simulates on its own, as the CLI reads it.
      const sim = simulate([{ name: path, text }]);
      expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
});
