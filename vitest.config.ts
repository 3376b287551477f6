import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'fixtures/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: [],
  },
});
