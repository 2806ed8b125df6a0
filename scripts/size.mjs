// Bundle sizes of the production build (run `npm run build` first): the entry chunk that
// every visit downloads, and the lazily loaded chunks (Monaco, workers). Prints a table and
// exits 1 when the entry chunk is over its budget (300 KB gzipped).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_ENTRY_GZ = 300 * 1024;
const dist = 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = new Set([...html.matchAll(/<script[^>]+src="\.?\/?([^"]+)"/g)].map((m) => m[1]));
const preloads = new Set(
  [...html.matchAll(/<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]+href="\.?\/?([^"]+)"/g)].map(
    (m) => m[1],
  ),
);

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const rows = walk(dist)
  .filter((p) => /\.(js|css)$/.test(p))
  .map((p) => {
    const rel = p.slice(dist.length + 1);
    const buf = readFileSync(p);
    const kind = entries.has(rel) ? 'entry' : preloads.has(rel) ? 'preload' : 'lazy';
    return { file: rel, kind, raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
  })
  .sort((a, b) => b.gz - a.gz);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('file'.padEnd(56), 'loaded'.padEnd(8), 'raw'.padStart(10), 'gzip'.padStart(10));
for (const r of rows)
  console.log(r.file.padEnd(56), r.kind.padEnd(8), kb(r.raw).padStart(10), kb(r.gz).padStart(10));
const initial = rows.filter((r) => r.kind !== 'lazy').reduce((s, r) => s + r.gz, 0);
console.log(
  `\ninitial load (entry + preloads + css): ${kb(initial)} gzipped; budget for the entry: ${kb(BUDGET_ENTRY_GZ)}`,
);
const entryGz = rows.filter((r) => r.kind === 'entry').reduce((s, r) => s + r.gz, 0);
if (entryGz > BUDGET_ENTRY_GZ) {
  console.error(`entry chunk ${kb(entryGz)} gzipped is over the ${kb(BUDGET_ENTRY_GZ)} budget`);
  process.exit(1);
}
const monaco = rows.filter((r) => /monaco|editor\.worker|yaml\.worker/.test(r.file));
if (monaco.some((r) => r.kind !== 'lazy')) {
  console.error('Monaco must be lazy: it is loaded with the entry');
  process.exit(1);
}
