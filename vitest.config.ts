import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Says once why the tests that need ../shared skip when it is missing.
    globalSetup: ['tests/global-setup.ts'],
    // Tests start real HTTP servers and SQLite files; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
