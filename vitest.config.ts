import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Child processes rather than worker threads: the tests change process.env and spawn the CLI.
    // Two workers match the two cores of the machines this runs on.
    pool: 'forks',
    maxWorkers: 2,
  },
});
