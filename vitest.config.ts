import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs backends keep global state: each file in its own fork. Three at a time on 2 cores: the
    // end-to-end and Slurm files spend much of their time waiting (a browser frame, a scheduler poll),
    // and a third fork fills those gaps (vitest 425 s instead of 481 s, same 958 tests, 2026-12-06)
    pool: 'forks',
    maxWorkers: 3,
  },
});
