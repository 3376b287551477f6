// The GitLab pipeline `modelgate init` writes, run by gitlab-ci-local 4.65 (shell executor) on a repo made by
// `modelgate init`, and a GitLab API stand-in on 127.0.0.1 for the sticky notes. The last pipeline's job installs
// the package from its local tarball as the template's MODELGATE_PACKAGE does; the others run this checkout's CLI
// (its prebuilt bundle) preinstalled, the template's other install option (an image that has the CLI), which
// saves ten seconds of npm per job. test/package-install.test.ts runs the installed package's commands.
//   1. a merge request that breaks a policy: validate fails, plan runs beside it and its note shows the errors;
//   2. a push that fixes it: validate passes, the same note is updated;
//   3. the merge on the default branch: build saves artifacts and manifest, deploy verifies them against a fresh
//      build and against the manifest the merge request's note showed, and applies them; pages writes the portal;
//   4. a saved plan edited after the build: deploy refuses it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { startFakeGitLab, type FakeGitLab } from './support/fake-gitlab.ts';
import { runTarball } from './support/package-tarball.ts';

const gitlabCiLocal = join(PACKAGE_ROOT, 'node_modules/.bin/gitlab-ci-local');
const hasRsync = spawnSync('rsync', ['--version']).status === 0;
const TOKEN = 'glpat-pipeline-token-0123456789';
/** The pipeline whose job installs the package takes ~15 s on a busy 2-core machine. */
const PIPELINE_TIMEOUT_MS = 180_000;

describe.skipIf(!hasRsync)('the GitLab pipeline under gitlab-ci-local (needs rsync)', () => {
  let scratch: string;
  let repo: string;
  let deployed: string;
  let tarball: string;
  /** The CLI of the pipelines that run it preinstalled. */
  const preinstalled = join(PACKAGE_ROOT, 'bin/modelgate.mjs');
  let gitlab: FakeGitLab;
  let schemaChecked = false;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const noteOf = (env: string) => gitlab.notes.filter((n) => n.body.startsWith(`<!-- modelgate:plan:${env} -->`));

  /** Runs jobs of one pipeline; `variables` as GitLab would set them for it. */
  async function pipeline(
    jobs: string[],
    variables: Record<string, string>,
    install: 'tarball' | 'preinstalled' = 'preinstalled',
  ): Promise<{ status: number | null; output: string }> {
    // Nothing of this process's CI or token variables reaches the jobs; only what the pipeline would have.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MODELGATE.*|GITLAB_TOKEN|CI_.*|npm_.*)$/.test(k)));
    const common = {
      // gitlab-ci-local gives jobs with an `image:` a CI_PROJECT_DIR of /builds/<project> even on the shell
      // executor, one folder for all jobs; GitLab gives each job its own. `.` is each job's own folder here.
      CI_PROJECT_DIR: '.',
      ...(install === 'tarball'
        ? // The jobs share this machine's npm cache: what an install fetched once, the next ones read.
          { MODELGATE_PACKAGE: tarball, npm_config_cache: join(process.env.HOME ?? tmpdir(), '.npm') }
        : { MODELGATE_PACKAGE: '', MODELGATE: preinstalled }),
      CI_SERVER_URL: 'http://127.0.0.1:9',
      CI_API_V4_URL: `${gitlab.host}/api/v4`,
      CI_PROJECT_ID: '17',
      MODELGATE_GITLAB_TOKEN: TOKEN,
      MODELGATE_DEPLOY_SCRIPT: `mkdir -p ${deployed} && cp -R "$MODELGATE_OUT/$MODELGATE_ENV/." ${deployed}/`,
    };
    const args = ['--shell-isolation', '--force-shell-executor', '--no-color', '--home', join(scratch, 'gcl-home')];
    // GitLab's schema accepts the pipeline file (test/gitlab-ci-template.test.ts); checked here on the first run
    // only (a second of CPU each), since no run changes the file.
    if (schemaChecked) args.push('--no-json-schema-validation');
    schemaChecked = true;
    for (const [k, v] of Object.entries({ ...common, ...variables })) args.push('--variable', `${k}=${v}`);
    // Not spawnSync: the GitLab stand-in answers the jobs from this process's event loop.
    const child = spawn(gitlabCiLocal, [...args, ...jobs], { cwd: repo, env, timeout: 240_000 });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, output };
  }

  function mergeRequest(iid: string): Record<string, string> {
    return {
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_IID: iid,
      CI_MERGE_REQUEST_DIFF_BASE_SHA: git('rev-parse', 'main'),
      CI_COMMIT_BRANCH: '',
    };
  }

  /** Where a job left `name` in its isolated build folder. */
  function jobPath(job: string, name: string): string {
    const builds = join(repo, '.gitlab-ci-local/builds');
    const folder = readdirSync(builds).find((d) => d.startsWith(job.replace(/[^a-z0-9]/gi, '')) || d === job);
    return join(builds, folder ?? job, name);
  }
  const jobFile = (job: string, name: string) => readFileSync(jobPath(job, name), 'utf8');

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'mg-pipeline-'));
    repo = join(scratch, 'ai-gateway-config');
    deployed = join(scratch, 'deployed');
    tarball = (await runTarball()).path;
    gitlab = await startFakeGitLab();
    execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin/modelgate.mjs'), 'init', repo]);
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'dana.kim@acme.example');
    git('config', 'user.name', 'Dana Kim');
    git('remote', 'add', 'origin', 'https://gitlab.example/acme/ai-gateway-config.git');
    writeFileSync(join(repo, '.gitignore'), '.gitlab-ci-local/\n.gcl-home/\n');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'Gateway config from modelgate init');
    // What a clone from GitLab has: the default branch as origin/main (rules:changes compare with it).
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  }, 300_000);

  afterAll(async () => {
    await gitlab?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it(
    '1. a merge request that breaks a policy: validate fails, plan still runs and its note shows the errors',
    async () => {
      git('switch', '--quiet', '-c', 'no-fallback');
      const route = join(repo, 'routes/chat.yaml');
      writeFileSync(route, readFileSync(route, 'utf8').replace(/ {2}fallbacks:\n(?: {4}.*\n)+/, ''));
      git('commit', '--quiet', '-am', 'Drop the fallback');
      const run = await pipeline(['validate', 'plan: [prod]'], mergeRequest('42'));
      expect(run.output).toMatch(/FAIL\s+validate/);
      expect(run.output).toContain('prod-route-has-cross-provider-fallback');
      const notes = noteOf('prod');
      expect(notes, run.output).toHaveLength(1);
      expect(notes[0]!.body).toContain('prod-route-has-cross-provider-fallback');
      expect(notes[0]!.body).toMatch(/:x: \*\*1 error stops\*\* `prod` from building/);
      expect(gitlab.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
        '/api/v4/projects/17/merge_requests/42/notes',
      ]);
      expect(run.status).not.toBe(0);
    },
    PIPELINE_TIMEOUT_MS,
  );

  it(
    '2. the push that fixes it: validate passes, and the same note is updated with the plan',
    async () => {
      const route = join(repo, 'routes/chat.yaml');
      git('checkout', 'main', '--', 'routes/chat.yaml');
      writeFileSync(route, readFileSync(route, 'utf8').replace('maxTokens: 1024', 'maxTokens: 2048'));
      git('commit', '--quiet', '-am', 'Keep the fallback; longer answers');
      const run = await pipeline(['validate', 'plan: [dev]', 'plan: [prod]'], mergeRequest('42'));
      expect(run.output).toMatch(/PASS\s+validate/);
      expect(run.output).toMatch(/PASS\s+plan: \[prod\]/);
      expect(run.status, run.output).toBe(0);
      const notes = noteOf('prod');
      expect(notes).toHaveLength(1);
      expect(notes[0]!.body).toContain('spec.maxTokens: 1024 → 2048');
      expect(notes[0]!.body).not.toContain('error stops');
      expect(notes[0]!.body).toMatch(/Saved plan: \d+ files, manifest `sha256:[0-9a-f]{64}`/);
      expect(gitlab.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
      expect(gitlab.requests.every((r) => r.token === TOKEN)).toBe(true);
      // The reports GitLab reads, from one validate run.
      expect(JSON.parse(jobFile('validate', 'gl-code-quality-report.json'))).toEqual([]);
      expect(jobFile('validate', 'modelgate-junit.xml')).toMatch(/^<\?xml[\s\S]*<testsuites/);
    },
    PIPELINE_TIMEOUT_MS,
  );

  it(
    '3. the merge on the default branch: build saves the plan, deploy verifies it is the reviewed one and applies it, pages writes the portal',
    async () => {
      git('switch', '--quiet', 'main');
      git('merge', '--quiet', '--no-ff', '-m', 'Merge branch no-fallback', 'no-fallback');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      gitlab.mergedBy[git('rev-parse', 'HEAD')] = 42;
      const run = await pipeline(['build: [dev]', 'deploy:dev', 'pages'], {
        CI_COMMIT_REF_PROTECTED: 'true',
        MODELGATE_REVIEWED: 'true',
        MODELGATE_GATEWAY_URL: 'https://llm.acme.example',
      });
      const reviewed = /manifest `(sha256:[0-9a-f]{64})`/.exec(noteOf('dev')[0]!.body)![1]!;
      expect(run.output).toContain(`merge request !42 reviewed manifest ${reviewed}`);
      expect(run.output).toMatch(/PASS\s+build: \[dev\]/);
      expect(run.output).toMatch(/PASS\s+deploy:dev/);
      expect(run.output).toContain(`files of dev match manifest ${reviewed} and a fresh build of this commit`);
      expect(run.status, run.output).toBe(0);
      expect(JSON.parse(readFileSync(join(deployed, 'node/config.json'), 'utf8'))).toBeTypeOf('object');
      expect(JSON.parse(readFileSync(join(deployed, 'modelgate-manifest.json'), 'utf8')).environment).toBe('dev');
      // The portal GitLab Pages publishes: the examples call the gateway, "request access" opens this project
      // (CI_PROJECT_URL, which gitlab-ci-local derives from CI_SERVER_URL and the remote's path).
      expect(run.output).toMatch(/PASS\s+pages/);
      const portal = jobFile('pages', 'public/routes/chat.html');
      expect(portal).toContain('https://llm.acme.example/v1/chat/completions');
      expect(portal).toContain(
        'href="http://127.0.0.1:9/acme/ai-gateway-config/-/new/main/access?file_name=my-team-chat.yaml&#38;content=',
      );
    },
    PIPELINE_TIMEOUT_MS,
  );

  it(
    '4. a saved plan edited after the build: deploy refuses it and applies nothing',
    async () => {
      rmSync(deployed, { recursive: true, force: true });
      const artifacts = join(repo, '.gitlab-ci-local/artifacts');
      const saved = readdirSync(artifacts)
        .map((job) => join(artifacts, job, '.modelgate/plan/dev'))
        .find((p) => existsSync(p))!;
      appendFileSync(join(saved, 'k8s/deployment.yaml'), '# one more container, added after review\n');
      const run = await pipeline(['deploy:dev'], { CI_COMMIT_REF_PROTECTED: 'true' }, 'tarball');
      expect(run.output).toMatch(/added \d+ packages/);
      expect(run.output).toMatch(/FAIL\s+deploy:dev/);
      expect(run.output).toContain('refusing to deploy .modelgate/plan/dev');
      expect(run.output).toContain('changed k8s/deployment.yaml');
      expect(existsSync(deployed)).toBe(false);
    },
    PIPELINE_TIMEOUT_MS,
  );
});
