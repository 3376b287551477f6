// verify-plan --reviewed: the saved plan deploys only when its manifest is the one the merge request's note showed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';
import { startFakeGitLab, type FakeGitLab } from '../../test/support/fake-gitlab.ts';
import { acmeRepo } from '../../test/support/scratch-repo.ts';

const CI = ['CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID', 'CI_COMMIT_SHA', 'MODELGATE_GITLAB_TOKEN'] as const;

describe('verify-plan --reviewed', () => {
  let gitlab: FakeGitLab;
  let repo: ReturnType<typeof acmeRepo>;
  let out: string;
  const saved = Object.fromEntries(CI.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    gitlab = await startFakeGitLab();
    repo = acmeRepo('mg-reviewed-');
    out = mkdtempSync(join(tmpdir(), 'mg-reviewed-out-'));
    Object.assign(process.env, {
      CI_API_V4_URL: `${gitlab.host}/api/v4`,
      CI_PROJECT_ID: '17',
      CI_MERGE_REQUEST_IID: '8',
      MODELGATE_GITLAB_TOKEN: 'glpat-reviewed-0123456789',
    });
    const prod = join(repo.dir, 'environments/prod.yaml');
    writeFileSync(prod, readFileSync(prod, 'utf8').replace('weight: 90', 'weight: 70').replace('weight: 10', 'weight: 30'));
    repo.git('commit', '--quiet', '-am', 'More Claude');
    // The merge request's pipeline: the plan, saved, in the note.
    const planned = await runMain('plan', repo.dir, '--base', 'HEAD~1', '--env', 'prod', '--comment', '--save', join(out, 'mr'));
    expect(planned.stderr).toContain('plan note for prod created');
    // The merge: the default branch's pipeline runs for the commit merge request !8 merged.
    delete process.env.CI_MERGE_REQUEST_IID;
    process.env.CI_COMMIT_SHA = repo.git('rev-parse', 'HEAD').trim();
    gitlab.mergedBy[process.env.CI_COMMIT_SHA] = 8;
  });

  afterAll(async () => {
    for (const k of CI) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await gitlab.close();
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('deploys the build of the merge commit whose manifest the note showed', async () => {
    expect((await runMain('build', repo.dir, '--env', 'prod', '--out', join(out, 'main'), '--manifest')).code).toBe(0);
    const { code, stdout, stderr } = await runMain('verify-plan', join(out, 'main'), repo.dir, '--reviewed');
    expect(stderr).toMatch(/^modelgate: merge request !8 reviewed manifest sha256:[0-9a-f]{64}\.\n$/);
    expect(stdout).toContain('Verified');
    expect(code).toBe(0);
  });

  it('refuses a build other than the reviewed one, and a commit no merge request merged', async () => {
    const prod = join(repo.dir, 'environments/prod.yaml');
    writeFileSync(prod, readFileSync(prod, 'utf8').replace('weight: 70', 'weight: 60').replace('weight: 30', 'weight: 40'));
    expect((await runMain('build', repo.dir, '--env', 'prod', '--out', join(out, 'other'), '--manifest')).code).toBe(0);
    const other = await runMain('verify-plan', join(out, 'other'), repo.dir, '--reviewed');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('this is not the plan that was reviewed');

    process.env.CI_COMMIT_SHA = '0123456789abcdef0123456789abcdef01234567';
    const unmerged = await runMain('verify-plan', join(out, 'other'), repo.dir, '--reviewed');
    expect(unmerged.code).toBe(2);
    expect(unmerged.stderr).toContain('no merge request merged commit 0123456789abcdef0123456789abcdef01234567');
  });
});
