// The GitLab CI templates: valid against GitLab's CI JSON Schema (the copy gitlab-ci-local ships), pinned to
// this package's version, and shaped as docs/gitops.md says. test/gitlab-pipeline.test.ts runs them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// CommonJS: under NodeNext the default export is the module object.
const Ajv = AjvModule as unknown as typeof AjvModule.default;

// gitlab-ci-local ships GitLab's `ci.json` (draft-07) as a module without type declarations.
const SCHEMA_MODULE = 'gitlab-ci-local/src/schema/schema.js';
const { schema } = (await import(SCHEMA_MODULE)) as { schema: Record<string, unknown> };

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const pipelineFile = join(repoRoot, 'templates/gitlab-ci.yml');
const includeFile = join(repoRoot, 'templates/gitlab/modelgate.gitlab-ci.yml');

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}

describe('GitLab CI templates', () => {
  const validate = validator();

  it.each([pipelineFile, includeFile])("%s is valid against GitLab's CI schema", (file) => {
    const ok = validate(parse(readFileSync(file, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check bites: a wrong `when` is rejected', () => {
    const broken = parse(readFileSync(pipelineFile, 'utf8'));
    broken['deploy:prod'].rules[0].when = 'sometimes';
    expect(validate(broken)).toBe(false);
  });

  it("the pipeline init writes carries the include template's jobs unchanged", () => {
    const template = readFileSync(includeFile, 'utf8');
    const block = template.slice(template.indexOf('# --- modelgate job templates (begin) ---'));
    expect(block).toContain('# --- modelgate job templates (end) ---');
    expect(readFileSync(pipelineFile, 'utf8')).toContain(block);
  });

  it("pins the CLI to this package's exact version", () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const file of [pipelineFile, includeFile]) {
      const ci = parse(readFileSync(file, 'utf8'));
      expect(ci.variables.MODELGATE_PACKAGE, file).toBe(`modelgate@${version}`);
      expect(ci['.modelgate'].before_script.join('\n')).toContain('npm install --prefix "$CI_PROJECT_DIR/.modelgate-cli"');
    }
  });

  it('plans beside validate on merge requests only, when the config changed, interruptible, reports kept on failure', () => {
    const ci = parse(readFileSync(pipelineFile, 'utf8'));
    const changes = ['**/*.{yaml,yml}', '.modelgateignore', 'CODEOWNERS', '.gitlab/CODEOWNERS', 'docs/CODEOWNERS'];
    expect(ci['.modelgate:merge-request']).toEqual({
      interruptible: true,
      rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"', changes }],
    });
    expect(ci['.modelgate:plan']).toMatchObject({
      extends: ['.modelgate', '.modelgate:merge-request'],
      needs: [],
      artifacts: { when: 'always', paths: ['$MODELGATE_OUT/'], reports: { terraform: 'modelgate-plan.json' } },
    });
    expect(ci['.modelgate:plan'].script.join('\n')).toContain('--save "$MODELGATE_OUT"');
    expect(ci['.modelgate:approvals']).toMatchObject({ needs: [], interruptible: true, rules: [{ changes }] });
    expect(ci['.modelgate:validate']).toMatchObject({
      interruptible: true,
      artifacts: { when: 'always', reports: { codequality: 'gl-code-quality-report.json', junit: 'modelgate-junit.xml' } },
    });
    // One compilation writes every report.
    const validate = ci['.modelgate:validate'].script.filter((line: string) => line.includes('$MODELGATE validate'));
    expect(validate).toEqual([
      '$MODELGATE validate "$MODELGATE_DIR" --env all --format text --format codequality=gl-code-quality-report.json --format junit=modelgate-junit.xml',
    ]);
  });

  it('plans and builds every environment of the starter by matrix, and deploys each once verified, prod by hand', () => {
    const ci = parse(readFileSync(pipelineFile, 'utf8'));
    const starter = join(repoRoot, 'templates/starter/environments');
    const environments = readdirSync(starter).map(
      (f) => parse(readFileSync(join(starter, f), 'utf8')) as { metadata: { name: string }; spec: { tier: string } },
    );
    const names = environments.map((e) => e.metadata.name).sort();
    expect(ci.plan.parallel.matrix).toEqual([{ MODELGATE_ENV: names }]);
    expect(ci.build.parallel.matrix).toEqual([{ MODELGATE_ENV: names }]);
    for (const env of environments) {
      const name = env.metadata.name;
      expect(ci[`deploy:${name}`]).toMatchObject({
        needs: [{ job: 'build', parallel: { matrix: [{ MODELGATE_ENV: name }] } }],
        environment: { name, deployment_tier: env.spec.tier },
        resource_group: `modelgate-${name}`,
      });
      expect(ci[`deploy:${name}`].interruptible).toBeUndefined();
    }
    expect(ci['deploy:prod'].rules).toEqual([
      {
        if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE != "schedule"',
        when: 'manual',
      },
    ]);
    expect(ci['.modelgate:deploy'].script[0]).toMatch(/^\$MODELGATE verify-plan "\$MODELGATE_OUT\/\$MODELGATE_ENV" "\$MODELGATE_DIR"/);
    expect(ci['.modelgate:build'].script).toEqual([
      '$MODELGATE build "$MODELGATE_DIR" --env "$MODELGATE_ENV" --out "$MODELGATE_OUT/$MODELGATE_ENV" --manifest',
    ]);
  });

  it('checks drift on schedules only, with modelgate diff against what kubectl reads', () => {
    const ci = parse(readFileSync(pipelineFile, 'utf8'));
    expect(ci['.modelgate:drift'].rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect(ci['.modelgate:drift'].variables.MODELGATE_LIVE_SCRIPT).toMatch(/^kubectl get .* -o yaml > live\/k8s\.yaml$/);
    expect(ci['.modelgate:drift'].script.at(-1)).toBe(
      '$MODELGATE diff "$MODELGATE_DIR" --env "$MODELGATE_ENV" --against live --target k8s',
    );
    for (const job of ['.modelgate:validate', '.modelgate:build'])
      expect(ci[job].rules[0]).toEqual({ if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' });
  });

  it('publishes the portal of one starter environment on GitLab Pages, from the default branch only', () => {
    const ci = parse(readFileSync(pipelineFile, 'utf8'));
    // GitLab deploys Pages from a job named `pages` and its public/ folder.
    expect(ci.pages).toEqual({ extends: '.modelgate:pages', variables: { MODELGATE_ENV: 'prod' } });
    expect(readdirSync(join(repoRoot, 'templates/starter/environments'))).toContain('prod.yaml');
    expect(ci['.modelgate:pages']).toMatchObject({
      extends: '.modelgate',
      stage: 'deploy',
      needs: [],
      rules: [{ if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' }, { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }],
      artifacts: { paths: ['public'] },
    });
    expect(ci['.modelgate:pages'].script).toEqual([
      '$MODELGATE portal "$MODELGATE_DIR" --env "$MODELGATE_ENV" --out public --gitlab-project-url "$CI_PROJECT_URL" --branch "$CI_DEFAULT_BRANCH"',
    ]);
    expect(ci.stages).toContain(ci['.modelgate:pages'].stage);
  });

  it('keeps the plan cache per merge request and environment, where modelgate writes it', () => {
    const plan = parse(readFileSync(pipelineFile, 'utf8'))['.modelgate:plan'];
    expect(plan.variables.MODELGATE_CACHE_DIR).toBe('$CI_PROJECT_DIR/.modelgate/cache');
    expect(plan.cache).toContainEqual({
      key: 'modelgate-plan-$CI_MERGE_REQUEST_IID-$MODELGATE_ENV',
      paths: ['.modelgate/cache/'],
      when: 'always',
    });
  });
});
