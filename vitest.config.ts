import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongFilesFirst } from './test/support/long-files-first.ts';
import { TOOL_FILES } from './test/support/tool-files.ts';

// Files share their worker's modules instead of importing the whole tree afresh each: half the suite's CPU time.
// Tests that change process state (environment variables, spies on stdout) restore it.
const shared = { testTimeout: 30_000, hookTimeout: 60_000, isolate: false };

export default defineConfig({
  test: {
    // Here rather than in the projects: it runs once for the whole run, whichever projects it includes.
    globalSetup: ['test/build-cli.global-setup.ts'],
    // One worker more than the cores: many files spend much of their time waiting on child processes, sockets and
    // timers, which another worker fills (vitest's default, one per core but one, is a single worker on two cores).
    // On two cores `npm test` takes 64.9 s with two workers, 59.6 s with three, 57.8 s with four (clean caches).
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongFilesFirst },
    // Transformed modules kept on disk between runs (vitest 5's default): a run after the first transforms only what
    // changed, ≈ a fifth of the CPU of 150 small test files. In the repository, not node_modules, which worktrees
    // share; keyed by each file's content, so an edit is transformed again. A clean clone (CI) fills it.
    experimental: { fsModuleCache: true, fsModuleCachePath: '.vitest-cache/modules' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // Fixture repos are test data; only the tests beside them (fixtures/*.test.ts, fixtures/invalid/*.test.ts) run.
          exclude: ['node_modules/**', 'fixtures/*/*/**', 'dist/**', 'test/hardening/**', ...TOOL_FILES],
          ...shared,
        },
      },
      // The files whose time goes to real programs users run beside modelgate (TOOL_FILES): `npm run test:tools`,
      // which CI runs after `npm test`.
      { test: { name: 'tools', include: [...TOOL_FILES], ...shared } },
      // Fuzzing, hostile input, faults, load, scale and soak: `npm run test:hardening` runs their quick versions (CI
      // runs it too), `npm run fuzz` the long ones.
      { test: { name: 'hardening', include: ['test/hardening/**/*.test.ts'], ...shared } },
    ],
  },
});
