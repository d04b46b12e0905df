import { defineConfig } from 'vitest/config';

// The JSON report lets .ci/run print a plain "N passed, N failed" line that proves tests ran.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Removes what the test files share for one run (the capture lab) when the run ends.
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
