import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The UI benchmark (npm run bench:ui): frame times, mount time and long tasks in real
// Chromium, on a 10 node × 30 pod cluster. Separate from the e2e suite: it measures, it does
// not test behaviour, and its figures go to docs/PERFORMANCE.md.
export default defineConfig({
  ...base,
  testDir: 'e2e/perf',
  testIgnore: [],
  testMatch: '**/*.perf.ts',
  retries: 0,
  timeout: 180_000,
  reporter: [['list']],
});
