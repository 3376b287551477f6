// The test files that drive real programs a user runs beside modelgate, and spend most of their time in them: npm
// (pack and install of the package), gitlab-ci-local, Claude Code and Codex, Chromium, Spectral, promtool and
// Prometheus. They are the `tools` project (`npm run test:tools`, run by CI after `npm test`), so that `npm test`,
// the suite a developer runs after each change, stays within a minute on two cores; no check moves out of CI.
export const TOOL_FILES = [
  'test/gitlab-pipeline.test.ts',
  'test/package-install.test.ts',
  'test/agent-cli-claude.test.ts',
  'test/agent-cli-codex.test.ts',
  'test/portal-site.test.ts',
  'test/monitoring.test.ts',
  'targets/k8s/alerts.test.ts',
  'reports/graph/render.test.ts',
  'reports/usage/html/browser.test.ts',
  'bench/spectral-ruleset.test.ts',
];
