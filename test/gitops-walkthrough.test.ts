// The GitOps walkthrough of docs/gitops.md, run for real: a config repo in git, a branch that changes a route
// weight and adds a prompt, `plan` against main, then `promote` from staging to prod.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_NAMES } from '../targets/registry.ts';
import { buildArtifacts } from '../pipeline/build-artifacts.ts';
import { runMain } from './support/run-main.ts';
import { startFakeGitLab, type FakeGitLab } from './support/fake-gitlab.ts';
import { compileProject } from '../pipeline/compile.ts';
import { readTree } from '../gitops/plan/read-tree.ts';

const ACME = fileURLToPath(new URL('../fixtures/acme/', import.meta.url));

const FAQ_PROMPT = `apiVersion: modelgate.dev/v1
kind: Prompt
metadata:
  name: faq-answer
  labels: { team: support, owner: li.wei }
spec:
  route: chat-default
  variables:
    type: object
    required: [question]
    properties:
      question: { type: string, maxLength: 2000 }
  versions:
    v1:
      messages:
        - role: user
          content: "Answer from the FAQ: {{question}}"
  serve:
    - version: v1
`;

/** What `modelgate build --env <env> --out <out>` writes: every target's files under `<out>/<target>/`. */
async function build(root: string, env: string, out: string): Promise<void> {
  const compiled = compileProject(root, { env });
  const built = await buildArtifacts(compiled.environments[0]!, TARGET_NAMES);
  for (const [path, content] of Object.entries(built.files)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
}

/** A scratch git repo holding fixtures/acme, committed on main. */
function scratchRepo(prefix: string): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(ACME, dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'dana.kim@acme.example');
  git('config', 'user.name', 'Dana Kim');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'Gateway config');
  return { dir, git };
}

/** Sets the prod weights of chat-default (OpenAI first, then Claude) in the prod overlay text. */
function prodWeights(text: string, openai: number, claude: number, comment = ''): string {
  return text
    .replace(/(model: gpt-4o-mini\n\s+weight: )\d+.*/, `$1${openai}${comment}`)
    .replace(/(model: claude-3-5-haiku-20241022\n\s+weight: )\d+/, `$1${claude}`);
}

describe('GitOps walkthrough on a scratch git repo', () => {
  let scratch: string;
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  let prodBefore: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'modelgate-walkthrough-'));
    repo = scratchRepo('modelgate-walkthrough-repo-').dir;
    await build(repo, 'prod', join(scratch, 'build-main'));

    // The change under review: more traffic to Claude in prod, and a new prompt.
    git('switch', '--quiet', '-c', 'more-claude');
    const prod = join(repo, 'environments/prod.yaml');
    prodBefore = readFileSync(prod, 'utf8');
    const edited = prodWeights(prodBefore, 70, 30, ' # more traffic to Claude while we compare them');
    expect(edited).not.toBe(prodBefore);
    writeFileSync(prod, edited);
    writeFileSync(join(repo, 'prompts/faq-answer.yaml'), FAQ_PROMPT);
    git('add', '-A');
    git('commit', '--quiet', '-m', 'More Claude in prod; FAQ prompt');
    await build(repo, 'prod', join(scratch, 'build-branch'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  });

  it('plan --base main --env prod shows exactly the changed weights and the new prompt, and exits 2', async () => {
    const status = git('status', '--porcelain');
    const { code, stdout } = await runMain('plan', repo, '--base', 'main', '--env', 'prod');
    expect(code).toBe(2);
    expect(stdout).toMatch(/^Environment prod \(against main \([0-9a-f]{8}\)\)\n/);
    const resourceLines = stdout.split('\n').filter((l) => /^ {2}[+~-] [A-Z]\w+\//.test(l));
    expect(resourceLines).toEqual([
      expect.stringMatching(/^ {2}~ Route\/chat-default {2}environments\/prod\.yaml:\d+$/),
      '  + Prompt/faq-answer  prompts/faq-answer.yaml:1',
    ]);
    expect(stdout).toContain('      ~ spec.targets[0].weight: 90 → 70\n      ~ spec.targets[1].weight: 10 → 30\n');
    expect(stdout).toContain('      + spec.versions.v1.messages[0].content: "Answer from the FAQ: {{question}}"\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('Plan: 1 to add, 1 to change, 0 to destroy.');
    // The user's work tree, index and worktrees are as they were.
    expect(git('status', '--porcelain')).toBe(status);
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('lists exactly the artifact files that a build of each commit writes differently, with their diffs', async () => {
    const before = readTree(join(scratch, 'build-main'));
    const after = readTree(join(scratch, 'build-branch'));
    const differing = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f]).sort();
    const { stdout } = await runMain('plan', repo, '--base', 'main', '--env', 'prod', '--format', 'json');
    const plan = JSON.parse(stdout).environments[0];
    expect(plan.artifacts.map((a: { target: string; file: string }) => `${a.target}/${a.file}`).sort()).toEqual(differing);
    for (const a of plan.artifacts) expect(a.diff).toMatch(/^--- (a\/|\/dev\/null)[\s\S]*\n@@ /);
    // The same files against the earlier build directory, where only artifacts can be compared.
    const fromBuild = await runMain('plan', repo, '--base', join(scratch, 'build-main'), '--env', 'prod', '--format', 'json');
    const artifactsOnly = JSON.parse(fromBuild.stdout).environments[0];
    expect(artifactsOnly.resources).toBeUndefined();
    expect(artifactsOnly.artifacts.map((a: { target: string; file: string }) => `${a.target}/${a.file}`).sort()).toEqual(differing);
    expect(fromBuild.code).toBe(differing.length > 0 ? 2 : 0);
  });

  it('the markdown plan (the MR comment) draws the changed route, folded under <details>', async () => {
    const { stdout } = await runMain('plan', repo, '--base', 'main', '--env', 'prod', '--format', 'markdown');
    const diagram = /<details><summary>Diagram of what changed[^<]*<\/summary>\n\n(`{3,})mermaid\n([\s\S]*?)\n\1\n/.exec(stdout);
    expect(diagram, stdout).not.toBeNull();
    const mermaid = diagram![2]!;
    expect(mermaid).toMatch(/^flowchart LR/);
    expect(mermaid).toContain('chat-default');
    expect(mermaid).toContain('faq-answer');
    // Only the changed part: routes the change does not touch stay out.
    expect(mermaid).not.toContain('chat-premium');
  });

  it('plan of a commit against itself has no changes and exits 0', async () => {
    const { code, stdout } = await runMain('plan', repo, '--base', 'HEAD', '--env', 'prod');
    expect(code).toBe(0);
    expect(stdout).toContain('No changes. prod matches HEAD');
  });

  it('an unknown base is an error (1), never "changes" (2)', async () => {
    const { code, stderr } = await runMain('plan', repo, '--base', 'no-such-branch', '--env', 'prod');
    expect(code).toBe(1);
    expect(stderr).toContain('no commit "no-such-branch"');
  });

  it('diff --against a deployed copy finds no drift, then the file someone edited by hand (exit 2)', async () => {
    const deployed = join(scratch, 'deployed');
    cpSync(join(scratch, 'build-branch'), deployed, { recursive: true });
    const clean = await runMain('diff', repo, '--env', 'prod', '--against', deployed);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No drift');
    // Kubernetes objects are compared field by field; any other file by content.
    const file = Object.keys(readTree(deployed))
      .sort()
      .find((f) => !f.startsWith('k8s/'))!;
    const path = join(deployed, file);
    if (/\.ya?ml$/.test(file)) {
      writeFileSync(path, `${readFileSync(path, 'utf8')}# a comment is not drift\n`);
      expect((await runMain('diff', repo, '--env', 'prod', '--against', deployed)).code).toBe(0);
    }
    writeFileSync(path, 'edited on the server\n');
    const drifted = await runMain('diff', repo, '--env', 'prod', '--against', deployed);
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toContain(`${file.replace('/', ' ')}: changed`);
    expect(drifted.stdout).toContain('-edited on the server');
  });

  it('promote --from staging --to prod edits the prod overlay in place, keeping its comments', async () => {
    const prod = join(repo, 'environments/prod.yaml');
    const onBranch = readFileSync(prod, 'utf8');
    const dry = await runMain('promote', repo, '--from', 'staging', '--to', 'prod', '--dry-run');
    expect(dry.code).toBe(0);
    expect(readFileSync(prod, 'utf8')).toBe(onBranch);

    const { code, stdout } = await runMain('promote', repo, '--from', 'staging', '--to', 'prod');
    expect(code).toBe(0);
    expect(stdout).toBe(dry.stdout);
    const expected = onBranch
      .replace('weight: 70 # more traffic to Claude while we compare them', 'weight: 50 # more traffic to Claude while we compare them')
      .replace(/(model: claude-3-5-haiku-20241022\n\s+weight: )30/, '$150')
      .replace(/(- version: v1\n\s+weight: )0/, '$150')
      .replace(/(- version: v2\n\s+weight: )100/, '$150');
    expect(readFileSync(prod, 'utf8')).toBe(expected);
    expect(expected.startsWith('# yaml-language-server: $schema=')).toBe(true);
    expect(git('status', '--porcelain').trim()).toBe('M environments/prod.yaml');
    expect(stdout).toContain('      ~ spec.targets[0].weight: 70 → 50\n');
    expect(stdout).toContain('      ~ spec.serve[1].weight: 100 → 50\n');
    expect(stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');

    // Promoting again finds nothing left to carry.
    const again = await runMain('promote', repo, '--from', 'staging', '--to', 'prod');
    expect(again.stdout).toContain('Nothing to promote: prod already pins what staging pins.');
    expect(readFileSync(prod, 'utf8')).toBe(expected);
  });
});

describe('plan --comment keeps one note per environment on the merge request', () => {
  const PLANTED = 'sk-live-Planted0123456789abcdefghijKLMN';
  const TOKEN = 'glpat-walkthrough-token-0123456789';
  let gitlab: FakeGitLab;
  let repo: { dir: string; git: (...args: string[]) => string };
  const saved = { ...process.env };

  beforeAll(async () => {
    gitlab = await startFakeGitLab();
    Object.assign(process.env, {
      CI_API_V4_URL: `${gitlab.host}/api/v4`,
      CI_PROJECT_ID: '17',
      CI_MERGE_REQUEST_IID: '4',
      MODELGATE_GITLAB_TOKEN: TOKEN,
    });
    repo = scratchRepo('modelgate-comment-');
    repo.git('switch', '--quiet', '-c', 'org-header');
    // A credential pasted into a provider header: the lint rule flags it, and no note may carry it.
    const openai = join(repo.dir, 'providers/openai.yaml');
    writeFileSync(
      openai,
      readFileSync(openai, 'utf8').replace(
        'OpenAI-Organization: org-acme',
        `OpenAI-Organization: org-acme\n    Authorization: Bearer ${PLANTED}`,
      ),
    );
    const prod = join(repo.dir, 'environments/prod.yaml');
    writeFileSync(prod, prodWeights(readFileSync(prod, 'utf8'), 70, 30));
    repo.git('commit', '--quiet', '-am', 'Org header; more Claude');
  });

  afterAll(async () => {
    for (const key of ['CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID', 'MODELGATE_GITLAB_TOKEN']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await gitlab.close();
    rmSync(repo.dir, { recursive: true, force: true });
  });

  it('creates a note per environment, then edits only the one whose plan changed', async () => {
    const first = await runMain('plan', repo.dir, '--base', 'main', '--env', 'all', '--comment');
    const envs = ['dev', 'local', 'prod', 'staging'];
    for (const e of envs) expect(first.stderr).toMatch(new RegExp(`plan note for ${e} created \\(note \\d+\\)`));
    expect(gitlab.requests.filter((r) => r.method === 'POST')).toHaveLength(envs.length);

    const prod = join(repo.dir, 'environments/prod.yaml');
    writeFileSync(prod, prodWeights(readFileSync(prod, 'utf8'), 60, 40));
    repo.git('commit', '--quiet', '-am', 'Even more Claude');
    const second = await runMain('plan', repo.dir, '--base', 'main', '--env', 'all', '--comment');
    expect(second.stderr).toMatch(/plan note for prod updated/);
    expect(second.stderr).toMatch(/plan note for dev unchanged/);
    expect(gitlab.requests.filter((r) => r.method === 'POST')).toHaveLength(envs.length);
    const puts = gitlab.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    const prodNote = gitlab.notes.find((n) => n.body.startsWith('<!-- modelgate:plan:prod -->'))!;
    expect(puts[0]!.path).toBe(`/api/v4/projects/17/merge_requests/4/notes/${prodNote.id}`);
    expect(prodNote.body).toContain('spec.targets[0].weight: 90 → 60');
    // The planted credential is flagged (exit 1: errors), and shown in no note.
    expect(second.code).toBe(1);
    expect(prodNote.body).toContain('no-literal-credentials');
    expect(gitlab.requests.map((r) => JSON.stringify(r.body ?? {})).join('\n')).not.toContain(PLANTED);
    expect(`${first.stdout}${second.stdout}`).not.toContain(PLANTED);
    expect(gitlab.requests.every((r) => r.token === TOKEN)).toBe(true);
  });

  it('a plan that cannot be made (no such base) says so in its note, exit 1', async () => {
    const { code, stderr } = await runMain('plan', repo.dir, '--base', 'no-such-branch', '--env', 'prod', '--comment');
    expect(code).toBe(1);
    expect(stderr).toMatch(/plan note for prod updated/);
    const prodNote = gitlab.notes.find((n) => n.body.startsWith('<!-- modelgate:plan:prod -->'))!;
    expect(prodNote.body).toContain('**No plan** for `prod`: the errors below stop it.');
    expect(prodNote.body).toContain('no commit "no-such-branch"');
  });

  it('without a token, --comment fails with what to do, exit 1', async () => {
    delete process.env.MODELGATE_GITLAB_TOKEN;
    const { code, stderr } = await runMain('plan', repo.dir, '--base', 'main', '--env', 'prod', '--comment');
    expect(code).toBe(1);
    expect(stderr).toContain('CI_JOB_TOKEN cannot post notes');
  });
});
