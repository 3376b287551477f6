// The GitLab CI templates: valid against GitLab's CI JSON Schema (the copy gitlab-ci-local ships), and the
// validate and plan jobs run green under gitlab-ci-local on a scratch repo made from fixtures/acme.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// CommonJS: under NodeNext the default export is the module object.
const Ajv = AjvModule as unknown as typeof AjvModule.default;

// gitlab-ci-local ships GitLab's `ci.json` (draft-07) as a module without type declarations.
const SCHEMA_MODULE = 'gitlab-ci-local/src/schema/schema.js';
const { schema } = (await import(SCHEMA_MODULE)) as { schema: Record<string, unknown> };

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const pipelineFile = join(repoRoot, 'templates/gitlab-ci.yml');
const includeFile = join(repoRoot, 'templates/gitlab/modelgate.gitlab-ci.yml');
const gitlabCiLocal = join(repoRoot, 'node_modules/.bin/gitlab-ci-local');
const hasRsync = spawnSync('rsync', ['--version']).status === 0;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}

describe('GitLab CI templates', () => {
  const validate = validator();

  it.each([pipelineFile, includeFile])('%s is valid against GitLab\'s CI schema', (file) => {
    const ok = validate(parse(readFileSync(file, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check bites: a wrong `when` is rejected', () => {
    const broken = parse(readFileSync(pipelineFile, 'utf8'));
    broken['deploy:prod'].rules[0].when = 'sometimes';
    expect(validate(broken)).toBe(false);
  });

  it('the pipeline init writes carries the include template\'s jobs unchanged', () => {
    const template = readFileSync(includeFile, 'utf8');
    const block = template.slice(template.indexOf('# --- modelgate job templates (begin) ---'));
    expect(block).toContain('# --- modelgate job templates (end) ---');
    expect(readFileSync(pipelineFile, 'utf8')).toContain(block);
  });

  it('plans on merge requests only, deploys prod by hand from a protected branch, one job per environment', () => {
    const ci = parse(readFileSync(pipelineFile, 'utf8'));
    expect(ci['.modelgate:plan'].rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(ci['.modelgate:plan'].artifacts.reports.terraform).toBe('modelgate-plan.json');
    expect(ci['.modelgate:validate'].artifacts.reports).toEqual({ codequality: 'gl-code-quality-report.json', junit: 'modelgate-junit.xml' });
    expect(ci['deploy:prod']).toMatchObject({
      environment: { name: 'prod', deployment_tier: 'production' },
      resource_group: 'modelgate-prod',
      rules: [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_COMMIT_REF_PROTECTED == "true"', when: 'manual' }],
    });
    expect(Object.keys(ci).filter((k) => k.startsWith('plan:'))).toEqual(['plan:dev', 'plan:prod']);
  });

  it('keeps the plan cache per merge request and environment, where modelgate writes it', () => {
    const plan = parse(readFileSync(pipelineFile, 'utf8'))['.modelgate:plan'];
    expect(plan.variables.MODELGATE_CACHE_DIR).toBe('$CI_PROJECT_DIR/.modelgate/cache');
    expect(plan.cache).toContainEqual({ key: 'modelgate-plan-$CI_MERGE_REQUEST_IID-$MODELGATE_ENV', paths: ['.modelgate/cache/'], when: 'always' });
  });
});

describe.skipIf(!hasRsync)('gitlab-ci-local runs the template (needs rsync)', () => {
  let repo: string;
  let run: { status: number | null; output: string };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  /** Files a job left in its isolated build folder. */
  const jobFile = (name: string) => {
    const builds = join(repo, '.gitlab-ci-local/builds');
    const found = readdirSync(builds).map((job) => join(builds, job, name)).filter((p) => existsSync(p));
    expect(found, `${name} in ${builds}`).toHaveLength(1);
    return readFileSync(found[0]!, 'utf8');
  };

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'modelgate-ci-'));
    cpSync(join(repoRoot, 'fixtures/acme'), repo, { recursive: true });
    cpSync(pipelineFile, join(repo, '.gitlab-ci.yml'));
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'ci@acme.example');
    git('config', 'user.name', 'CI');
    git('remote', 'add', 'origin', 'https://gitlab.example/acme/ai-gateway-config.git');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'Gateway config');
    git('switch', '--quiet', '-c', 'more-claude');
    const prod = join(repo, 'environments/prod.yaml');
    writeFileSync(prod, readFileSync(prod, 'utf8').replace(/(model: gpt-4o-mini\n\s+weight: )90/, '$170').replace(/(weight: )10\n/, '$130\n'));
    git('commit', '--quiet', '-am', 'More Claude in prod');

    // No token reaches the jobs: the plan must not try to post a note from a test.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MODELGATE_GITLAB_TOKEN|GITLAB_TOKEN|CI_.*)$/.test(k)));
    const result = spawnSync(
      gitlabCiLocal,
      [
        '--shell-isolation',
        '--force-shell-executor',
        '--no-color',
        '--home', join(repo, '.gcl-home'),
        '--variable', 'CI_MERGE_REQUEST_IID=1',
        '--variable', `MODELGATE=node ${join(repoRoot, 'bin/modelgate.mjs')}`,
        '--variable', 'MODELGATE_BASE=main',
        'validate',
        'plan:prod',
      ],
      { cwd: repo, env, encoding: 'utf8', timeout: 240_000 },
    );
    run = { status: result.status, output: `${result.stdout}${result.stderr}` };
  }, 300_000);

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('passes the validate and plan jobs', () => {
    expect(run.output).toMatch(/PASS\s+validate/);
    expect(run.output).toMatch(/PASS\s+plan:prod/);
    expect(run.status, run.output).toBe(0);
  });

  it('validate writes the Code Quality and JUnit reports', () => {
    expect(JSON.parse(jobFile('gl-code-quality-report.json'))).toBeInstanceOf(Array);
    expect(jobFile('modelgate-junit.xml')).toMatch(/^<\?xml[\s\S]*<testsuites/);
  });

  it('plan writes the Terraform report of the change and prints the plan in the job log', () => {
    expect(JSON.parse(jobFile('modelgate-plan.json'))).toEqual({ create: 0, update: 1, delete: 0 });
    expect(run.output).toContain('~ spec.targets[0].weight: 90 → 70');
    expect(run.output).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
  });
});
