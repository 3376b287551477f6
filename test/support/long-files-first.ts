// The order in which the workers take test files: the few that take far longer than the rest first, then vitest's
// own order (last run's durations from its cache, else the larger files first). Vitest knows nothing of durations
// on a clean clone, CI's case, and used to start the pipeline test last, so that the run waited on it alone.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest files, longest first (wall time of a run on two cores; each waits on child processes). */
export const LONG_FILES = [
  // tools
  'test/gitlab-pipeline.test.ts',
  'test/package-install.test.ts',
  'targets/k8s/alerts.test.ts',
  'test/portal-site.test.ts',
  'test/agent-cli-claude.test.ts',
  'bench/spectral-ruleset.test.ts',
  // unit: CPU-bound first, then the ones that mostly wait on timers (they fill the other worker's gaps)
  'gitops/cache/piece-cache.test.ts',
  'gateway/guardrails/mcp-results.test.ts',
  'gateway/strategy.test.ts',
  'lsp/workspace.test.ts',
  'gateway/store-outage.test.ts',
  'targets/k8s/large-config.test.ts',
  'gitops/plan/persisted-cache.test.ts',
  // hardening
  'test/hardening/secret-hygiene.test.ts',
  'test/hardening/scale-k8s.test.ts',
];

export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = LONG_FILES.indexOf(relative(spec.project.config.root, spec.moduleId));
      return i < 0 ? LONG_FILES.length : i;
    };
    // A stable sort: files of equal rank (all but the long ones) keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
