// A saved plan is deployed only when its files are those of its manifest and a fresh build writes the same.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';
import { acmeRepo } from '../../test/support/scratch-repo.ts';
import { MANIFEST_FILE } from './manifest.ts';

describe('plan --save, build --manifest and verify-plan', () => {
  let repo: string;
  let out: string;

  beforeAll(() => {
    repo = acmeRepo('mg-saved-').dir;
    out = mkdtempSync(join(tmpdir(), 'mg-saved-out-'));
    const prod = join(repo, 'environments/prod.yaml');
    writeFileSync(prod, readFileSync(prod, 'utf8').replace('weight: 90', 'weight: 70').replace('weight: 10', 'weight: 30'));
  });

  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('plan --save writes what build --manifest writes, and the note shows the manifest hash', async () => {
    const planned = await runMain('plan', repo, '--base', 'main', '--env', 'prod', '--save', join(out, 'plan'), '--format', 'markdown');
    expect(planned.code).toBe(2);
    const built = await runMain('build', repo, '--env', 'prod', '--out', join(out, 'build'), '--manifest');
    expect(built.code).toBe(0);
    const manifest = readFileSync(join(out, 'plan/prod', MANIFEST_FILE), 'utf8');
    expect(readFileSync(join(out, 'build', MANIFEST_FILE), 'utf8')).toBe(manifest);
    expect(JSON.parse(manifest)).toMatchObject({
      manifestVersion: 1,
      environment: 'prod',
      files: { 'k8s/deployment.yaml': expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    });
    const verified = await runMain('verify-plan', join(out, 'plan/prod'), repo);
    expect(verified.code).toBe(0);
    const hash = /manifest (sha256:[0-9a-f]{64})/.exec(verified.stdout)![1]!;
    expect(planned.stdout).toContain(`manifest \`${hash}\` (deploy checks it)`);
    expect((await runMain('verify-plan', join(out, 'plan/prod'), repo, '--expect', hash)).code).toBe(0);
  });

  it('refuses a saved file edited after the plan, naming it', async () => {
    const saved = join(out, 'tampered');
    cpSync(join(out, 'plan/prod'), saved, { recursive: true });
    appendFileSync(join(saved, 'k8s/deployment.yaml'), '# and one more thing\n');
    const { code, stderr } = await runMain('verify-plan', saved, repo);
    expect(code).toBe(1);
    expect(stderr).toContain(`modelgate: refusing to deploy ${saved} (prod, manifest sha256:`);
    expect(stderr).toContain(
      'the saved files are not those the manifest names (edited after the plan was saved?):\n    changed k8s/deployment.yaml\n',
    );
  });

  it('refuses a plan saved from another commit, and a manifest other than the one expected', async () => {
    const saved = join(out, 'plan/prod');
    const prod = join(repo, 'environments/prod.yaml');
    const before = readFileSync(prod, 'utf8');
    writeFileSync(prod, before.replace('weight: 70', 'weight: 60').replace('weight: 30', 'weight: 40'));
    try {
      const { code, stderr } = await runMain('verify-plan', saved, repo);
      expect(code).toBe(1);
      expect(stderr).toContain('a fresh build of this commit writes other files than the saved plan (planned from another commit?):');
      expect(stderr).toMatch(/ {4}changed k8s\/deployment\.yaml\n/);
    } finally {
      writeFileSync(prod, before);
    }
    const other = await runMain('verify-plan', saved, repo, '--expect', `sha256:${'0'.repeat(64)}`);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('this is not the plan that was reviewed');
    expect((await runMain('verify-plan', join(out, 'nothing'), repo)).stderr).toContain('holds no saved plan');
  });
});
