import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts (or points at) the MongoDB-compatible server the mongo store tests use.
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-network.ts'],
    testTimeout: 20_000,
    // Test files share each worker's module cache: the morphological analyser and the trained models
    // load once per worker instead of once per file, which takes about a third off a run. Files clean
    // up what they start (servers, nock, environment); one that stands in for a module with vi.mock
    // imports its subject afresh after vi.resetModules().
    isolate: false,
  },
});
