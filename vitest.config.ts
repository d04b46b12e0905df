import { defineConfig } from 'vitest/config';

// Two projects: the pure/fast suite, and the live suite that starts real peers on loopback.
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
