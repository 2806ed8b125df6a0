// Lint for the whole repo. The layer table of DESIGN.md §2 is the local rule
// `packetwalk/layers` (scripts/eslint-layers.js).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layers from './scripts/eslint-layers.js';

// The engine is deterministic: time and randomness are injected (DESIGN.md §7.1).
const engineIsPure = {
  files: ['src/engine/**/*.ts'],
  ignores: ['src/**/*.test.ts', 'src/**/*.bench.ts', 'src/**/testing/**'],
  rules: {
    'no-restricted-globals': [
      'error',
      ...[
        'Date',
        'setTimeout',
        'setInterval',
        'setImmediate',
        'performance',
        'document',
        'window',
        'process',
        'crypto',
        'fetch',
      ].map((name) => ({
        name,
        message: 'The engine is pure and seeded: inject time, randomness and I/O.',
      })),
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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
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
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { packetwalk: layers },
    rules: { 'packetwalk/layers': 'error' },
  },
  engineIsPure,
);
