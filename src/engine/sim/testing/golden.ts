import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Golden text files beside the tests, in `<dir>/__golden__/`: a missing file is written, and
 * `UPDATE_GOLDEN=1` rewrites them all; the diff is then reviewed like any other change.
 */
export function expectGolden(dir: string, name: string, text: string): void {
  const file = path.join(dir, '__golden__', name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}
