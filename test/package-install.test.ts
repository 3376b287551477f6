// The package installs from its tarball into a clean folder, without dev dependencies, and runs: init, validate,
// build and verify-plan, and the commands that load more libraries on demand (plan --comment, portal), with the
// prebuilt CLI. The Dockerfile builds an image from that tarball; it is linted here (no
// image is built: hadolint and docker are not needed), for the rules it claims.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { startFakeGitLab } from './support/fake-gitlab.ts';
import { installTarball, runTarball, type Tarball } from './support/package-tarball.ts';

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};

const dir = mkdtempSync(join(tmpdir(), 'mg-install-'));
/** The run's tarball (shared with test/gitlab-pipeline.test.ts): the install below and the Dockerfile's COPY check it. */
let tarball: Tarball;
beforeAll(async () => {
  tarball = await runTarball();
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm pack, then install in a clean folder', () => {
  let modelgate: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [modelgate, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  beforeAll(() => {
    modelgate = installTarball(tarball.path, dir);
  }, 300_000);

  it('packs the CLI, its prebuilt bundle, the schemas, templates and Dockerfile, and no tests or fixtures', () => {
    expect(tarball.path.endsWith(`modelgate-${pkg.version}.tgz`)).toBe(true);
    for (const file of [
      'bin/modelgate.mjs',
      'dist/cli/modelgate.mjs',
      'dist/gateway/gateway.mjs',
      'schema/route.schema.json',
      'templates/gitlab-ci.yml',
      'templates/gitlab/modelgate.gitlab-ci.yml',
      'gateway/main.ts',
      'lsp/server.ts',
      'Dockerfile',
      'docs/gitops.md',
    ]) {
      expect(tarball.files, file).toContain(file);
    }
    expect(tarball.files.filter((f) => f.endsWith('.test.ts') || f.startsWith('fixtures/') || f.startsWith('test/'))).toEqual([]);
  });

  it('installs without dev dependencies', () => {
    for (const dev of Object.keys(pkg.devDependencies)) expect(existsSync(join(dir, 'node_modules', dev)), dev).toBe(false);
    expect(readFileSync(join(dir, 'node_modules/modelgate/package.json'), 'utf8')).toContain(`"version": "${pkg.version}"`);
  });

  it('runs from the prebuilt bundle: init, then validate with no findings and build', async () => {
    const { GATEWAY_INPUTS_FILE, VALIDATORS_INPUTS_FILE, freshBundle, isFresh } = await import('../kernel/prebuilt.mjs');
    const installed = join(dir, 'node_modules/modelgate');
    expect(freshBundle(installed)).toBeDefined();
    // The gateway's bundle and the compiled validators too, though their dependencies sit beside the package, not
    // under it: build does not run esbuild again, nor commands ajv.
    expect(isFresh(installed, GATEWAY_INPUTS_FILE)).toBe(true);
    expect(isFresh(installed, VALIDATORS_INPUTS_FILE)).toBe(true);
    expect(run('init', 'config').status).toBe(0);
    const validate = run('validate', 'config', '--env', 'all');
    expect(validate.stdout).toContain('No problems');
    expect(validate.status).toBe(0);
    const build = run('build', 'config', '--env', 'prod', '--out', 'out', '--manifest');
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(join(dir, 'out/node/gateway.mjs'))).toBe(true);
    expect(run('verify-plan', 'out', 'config').status).toBe(0);
  }, 120_000);

  it('runs plan --comment (the GitLab client) and portal, which load their libraries on demand', async () => {
    const repo = join(dir, 'mr');
    expect(run('init', 'mr').status).toBe(0);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Dana Kim', '-c', 'user.email=dana.kim@acme.example', ...args], { cwd: repo });
    git('init', '--quiet', '--initial-branch=main');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'init');
    const route = join(repo, 'routes/chat.yaml');
    writeFileSync(route, readFileSync(route, 'utf8').replace('maxTokens: 1024', 'maxTokens: 2048'));
    git('commit', '--quiet', '-am', 'Longer answers');
    const gitlab = await startFakeGitLab();
    try {
      // Not spawnSync: the GitLab stand-in answers from this process's event loop.
      const plan = await new Promise<{ status: number | null; output: string }>((resolve) =>
        execFile(
          process.execPath,
          [modelgate, 'plan', 'mr', '--env', 'prod', '--base', 'HEAD~1', '--comment'],
          {
            cwd: dir,
            encoding: 'utf8',
            env: {
              ...process.env,
              NO_COLOR: '1',
              CI_API_V4_URL: `${gitlab.host}/api/v4`,
              CI_PROJECT_ID: '17',
              CI_MERGE_REQUEST_IID: '42',
              MODELGATE_GITLAB_TOKEN: 'glpat-install-check-0123456789',
            },
          },
          (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, output: `${stdout}${stderr}` }),
        ),
      );
      expect(plan.status, plan.output).toBe(2);
      expect(gitlab.notes).toHaveLength(1);
      expect(gitlab.notes[0]!.body).toContain('spec.maxTokens: 1024 → 2048');
    } finally {
      await gitlab.close();
    }
    const portal = run('portal', 'mr', '--env', 'prod', '--out', 'site');
    expect(portal.status, portal.stderr).toBe(0);
    expect(readFileSync(join(dir, 'site/routes/chat.html'), 'utf8')).toContain('/v1/chat/completions');
  }, 120_000);
});

describe('Dockerfile', () => {
  const text = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
  // Instructions with their continuation lines joined, comments dropped.
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .map((l) => {
      const [keyword, ...rest] = l.trim().split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
  const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword);

  it('starts from Node 20 slim, by tag', () => {
    expect(all('FROM').map((i) => i.args)).toEqual(['node:20-slim']);
  });

  it('installs the package from the tarball of this version, without dev dependencies, and leaves neither tarball nor cache', () => {
    expect(all('ARG').map((i) => i.args)).toContain(`VERSION=${pkg.version}`);
    expect(all('COPY').map((i) => i.args)).toEqual(['modelgate-${VERSION}.tgz /tmp/modelgate.tgz']);
    const run = all('RUN')
      .map((i) => i.args)
      .join('\n');
    expect(run).toMatch(/npm install --global --omit=dev [^\n]*\/tmp\/modelgate\.tgz/);
    expect(run).not.toMatch(/npm (install|i) [^\n]*modelgate@/);
    expect(run).toContain('rm /tmp/modelgate.tgz');
    expect(run).toContain('npm cache clean --force');
  });

  it('runs as a user that is not root, follows the usual lint rules (no ADD, no sudo, no cd, absolute WORKDIR, JSON CMD)', () => {
    const user = all('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(instructions.findIndex((i) => i.keyword === 'USER')).toBeGreaterThan(instructions.findIndex((i) => i.keyword === 'RUN'));
    expect(all('ADD')).toEqual([]);
    for (const run of all('RUN')) expect(run.args).not.toMatch(/\b(sudo|cd)\b/);
    for (const workdir of all('WORKDIR')) expect(workdir.args).toMatch(/^\//);
    expect(() => JSON.parse(all('CMD').at(-1)!.args)).not.toThrow();
  });

  it('copies the file `npm pack` names the tarball', () => {
    const version = all('ARG')
      .map((i) => /^VERSION=(\S+)$/.exec(i.args)?.[1])
      .find(Boolean);
    const copied = all('COPY')[0]!
      .args.split(' ')[0]!
      .replace('${VERSION}', version ?? '');
    expect(copied).toBe(basename(tarball.path));
  });
});
