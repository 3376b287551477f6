// The Spectral side of the compiler benchmark is only a fair comparison if its ruleset really checks
// what it claims: each rule must fire on a resource that breaks it, and none on a clean generated repo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo, writeRepo } from './generate.ts';
import { spectralLint } from './lib/spectral.ts';

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-spectral-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function lint(repo: string): { status: number | null; codes: string[] } {
  const line = spectralLint(repo, ['--format', 'json', '--quiet']);
  const result = spawnSync(line.command, line.args, { cwd: line.cwd, encoding: 'utf8', timeout: 60_000 });
  const findings = JSON.parse(result.stdout || '[]') as { code: string }[];
  return { status: result.status, codes: [...new Set(findings.map((f) => f.code))].sort() };
}

const BROKEN = {
  'provider.yaml': `apiVersion: modelgate.dev/v1
kind: Provider
metadata: { name: leaky, labels: { owner: a, team: b } }
spec:
  type: openai
  baseUrl: https://api.openai.com/v1
  credential: sk-live-not-a-reference
  models: [{ name: gpt-4o }]
`,
  'route.yaml': `apiVersion: modelgate.dev/v1
kind: Route
metadata: { name: heavy, labels: { owner: a } }
spec:
  timeout: 30s
  targets: [{ provider: p, model: m, weight: 150 }]
`,
  'access.yaml': `apiVersion: modelgate.dev/v1
kind: AccessPolicy
metadata: { name: everything, labels: { owner: a, team: b } }
spec:
  subjects: { consumers: [x] }
  routes: ["*"]
`,
};

describe('bench/spectral-ruleset.yaml', () => {
  // Spectral takes seconds to start; on a loaded machine, many.
  const SLOW = 120_000;

  it('fires each of its five rules on a resource that breaks it', { timeout: SLOW }, () => {
    const dir = scratch();
    for (const [file, text] of Object.entries(BROKEN)) writeFileSync(join(dir, file), text);
    const { status, codes } = lint(dir);
    expect(status).toBe(1);
    expect(codes).toEqual([
      'labels-owner-team',
      'no-wildcard-grant',
      'provider-credential-is-reference',
      'route-weights-bounded',
      'timeouts-present',
    ]);
  });

  it('finds nothing in a generated repo, so the benchmark times a clean lint', { timeout: SLOW }, () => {
    const dir = scratch();
    writeRepo(dir, generateRepo({ resources: 60, seed: 4, layout: 'single' }));
    expect(lint(dir)).toEqual({ status: 0, codes: [] });
  });
});
