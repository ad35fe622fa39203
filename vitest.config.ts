import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs backends keep global state; run files in separate forks, two at a time (2 cores)
    pool: 'forks',
    maxWorkers: 2,
  },
});
