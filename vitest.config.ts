import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'test/bench/**', 'node_modules/**'],
    environment: 'node',
    // Server tests start real servers on free ports; keep the 2-core machine responsive.
    pool: 'forks',
    maxWorkers: 2,
    // A login costs about 0.6 s of scrypt (N=2^17) on this machine: tests that log in a dozen
    // times need the room; they wait for events, so a longer limit only matters when one hangs.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    allowOnly: false,
  },
});
