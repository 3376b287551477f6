import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // Fixture repos are test data; only the tests beside them (fixtures/*.test.ts, fixtures/invalid/*.test.ts) run.
    exclude: ['node_modules/**', 'fixtures/*/*/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/build-cli.global-setup.ts'],
  },
});
