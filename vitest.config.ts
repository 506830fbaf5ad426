import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts (or points at) the MongoDB-compatible server the mongo store tests use.
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-network.ts'],
    testTimeout: 20_000,
  },
});
