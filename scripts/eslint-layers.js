// A local ESLint rule that enforces the layer table of DESIGN.md §2 (docs/ARCHITECTURE.md).
// It resolves every relative import against the importing file, finds which src/ layer the
// target lives in, and checks the table; bare package imports are checked against a
// per-layer allow-list. `import type` / `export type` count as type-only imports.
import path from 'node:path';

export const LAYERS = [
  'engine',
  'manifests',
  'scenarios',
  'protocol',
  'worker',
  'bridge',
  'store',
  'ui',
  'cli',
];

/** layer -> runtime: layers it may import; types: layers it may import types from; packages: null = any */
export const TABLE = {
  engine: { runtime: [], types: [], packages: ['ipaddr.js'] },
  manifests: { runtime: [], types: ['engine'], packages: ['yaml'] },
  scenarios: { runtime: ['engine', 'manifests'], types: [], packages: [] },
  protocol: { runtime: [], types: ['engine'], packages: [] },
  worker: { runtime: ['engine', 'manifests', 'scenarios', 'protocol'], types: [], packages: [] },
  bridge: { runtime: ['protocol'], types: ['worker'], packages: [] },
  store: { runtime: ['bridge'], types: ['protocol'], packages: ['zustand', 'lz-string'] },
  ui: { runtime: ['store'], types: ['protocol'], packages: null },
  cli: { runtime: ['engine', 'manifests', 'scenarios'], types: [], packages: null },
};

/** Test files (foo.test.ts, testing/ helpers, benchmarks) may also use the test tooling. */
const TEST_PACKAGES = [
  'vitest',
  'fast-check',
  'node:fs',
  'node:path',
  'node:url',
  'node:child_process',
  'node:os',
  // Reference implementations to check the engine's own against (SHA-256 for kube-proxy names).
  'node:crypto',
];
const isTestFile = (file) => /\.(test|bench)\.tsx?$|[\\/]testing[\\/]/.test(file);

function layerOf(file) {
  const rel = path.relative(path.resolve('src'), file).split(path.sep);
  if (rel[0] === '..' || rel[0] === '') return null;
  return LAYERS.includes(rel[0]) ? rel[0] : null;
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the src/ layer table of docs/ARCHITECTURE.md' },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    const from = layerOf(filename);
    if (!from) return {};
    const allowed = TABLE[from];

    function check(node, source, typeOnly) {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.')) {
        const target = layerOf(path.resolve(path.dirname(filename), spec));
        if (!target || target === from) return;
        if (allowed.runtime.includes(target)) return;
        if (typeOnly && allowed.types.includes(target)) return;
        const hint = allowed.types.includes(target) ? ' except with `import type`' : '';
        context.report({
          node: source,
          message: `Layer rule (docs/ARCHITECTURE.md): src/${from} may not import src/${target}${hint}.`,
        });
        return;
      }
      if (allowed.packages === null || typeOnly) return;
      const pkg = packageName(spec);
      if (isTestFile(filename) && TEST_PACKAGES.includes(pkg)) return;
      if (!allowed.packages.includes(pkg)) {
        context.report({
          node: source,
          message: `Layer rule (docs/ARCHITECTURE.md): src/${from} may use only these packages: ${
            allowed.packages.join(', ') || 'none'
          } (not ${pkg}).`,
        });
      }
    }

    const isTypeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 &&
        node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};

export default { rules: { layers: rule } };
