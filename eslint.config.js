// The layer table of DESIGN.md §2, enforced: each folder of src/ may import only the
// layers listed for it; "types" means type-only imports (`import type`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const LAYERS = ['engine', 'manifests', 'scenarios', 'protocol', 'worker', 'bridge', 'store', 'ui', 'cli'];

/** layer -> { runtime: layers it may import, types: layers it may import types from, packages } */
const TABLE = {
  engine: { runtime: [], types: [], packages: ['ipaddr.js'] },
  manifests: { runtime: [], types: ['engine'], packages: ['yaml', 'ipaddr.js'] },
  scenarios: { runtime: ['engine', 'manifests'], types: [], packages: [] },
  protocol: { runtime: [], types: ['engine'], packages: [] },
  worker: { runtime: ['engine', 'manifests', 'scenarios', 'protocol'], types: [], packages: [] },
  bridge: { runtime: ['protocol'], types: ['worker'], packages: [] },
  store: { runtime: ['bridge'], types: ['protocol'], packages: ['zustand', 'zustand/*'] },
  ui: { runtime: ['store'], types: ['protocol'], packages: null },
  cli: { runtime: ['engine', 'manifests', 'scenarios'], types: [], packages: null },
};

const layerRegex = (layer) => `^\\.{1,2}/(?:\\.\\./)*(?:.*/)?${layer}(?:/|$)`;

function restrictionsFor(layer) {
  const { runtime, types, packages } = TABLE[layer];
  const patterns = [];
  for (const other of LAYERS) {
    if (other === layer || runtime.includes(other)) continue;
    patterns.push({
      regex: layerRegex(other),
      allowTypeImports: types.includes(other),
      message: `Layer rule (docs/ARCHITECTURE.md): src/${layer} may not import src/${other}${
        types.includes(other) ? ' except with `import type`' : ''
      }.`,
    });
  }
  if (packages) {
    const allowed = packages.map((p) => p.replace('.', '\\.').replace('/*', '/.*')).join('|');
    patterns.push({
      regex: `^(?!\\.|${allowed || '$^'})`,
      message: `Layer rule (docs/ARCHITECTURE.md): src/${layer} may use only these packages: ${
        packages.join(', ') || 'none'
      }.`,
    });
  }
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/testing/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

// The engine is deterministic: time and randomness are injected (DESIGN.md §7.1).
const engineIsPure = {
  files: ['src/engine/**/*.ts'],
  ignores: ['src/**/*.test.ts', 'src/**/*.bench.ts'],
  rules: {
    'no-restricted-globals': [
      'error',
      ...['Date', 'setTimeout', 'setInterval', 'setImmediate', 'performance', 'document', 'window', 'process', 'crypto', 'fetch'].map(
        (name) => ({ name, message: 'The engine is pure and seeded: inject time, randomness and I/O.' }),
      ),
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Math', property: 'random', message: 'Use the seeded RNG of engine/sim.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'public'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...LAYERS.map(restrictionsFor),
  engineIsPure,
);
