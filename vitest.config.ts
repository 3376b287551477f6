import { defineConfig } from 'vitest/config';

const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Here rather than in the projects: it runs once for the whole run, whichever projects it includes.
    globalSetup: ['test/build-cli.global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // Fixture repos are test data; only the tests beside them (fixtures/*.test.ts, fixtures/invalid/*.test.ts) run.
          exclude: ['node_modules/**', 'fixtures/*/*/**', 'dist/**', 'test/hardening/**'],
          ...timeouts,
        },
      },
      // Fuzzing, hostile input, faults, load and soak: `npm run fuzz` runs them longer.
      { test: { name: 'hardening', include: ['test/hardening/**/*.test.ts'], ...timeouts } },
    ],
  },
});
